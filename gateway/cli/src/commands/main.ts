import { UsageError } from "./usage-error";

const USAGE = `onecert: OneCert federation gateway

Usage:
  onecert start [--persons N] [--seed S]     start the four registries and the gateway (embedded
                                             database in .data/ unless DATABASE_URL is set)
  onecert serve <registry|gateway>           run one service alone (population, legal-entity,
                                             property, social-insurance, certificates, gateway)
  onecert seed [--persons N] [--seed S] [--as-of YYYYMM]
                                             replace the registries' data with a synthetic world
  onecert samples [--json | --case NAME]     demo subjects per case from the seeded world
  onecert compose [--check]                  export the subgraph SDLs and compose schema/supergraph.graphql
  onecert check --matter M --id ID [--subject ROLE=ID ...] [--uscc USCC] [--case N] [--proofs]
                [--language zh|en] [--json]
                                             every proof a matter needs, as the window client
                                             (ONECERT_URL, ONECERT_API_KEY or the demo window key);
                                             exit 0 satisfied, 3 not satisfied, 4 undetermined
  onecert catalogue export --out DIR | import DIR [--check] [--reason "..."]
                                             write the live catalogue's matters and certificate types as
                                             YAML (the seed files byte for byte) / check a directory of
                                             them and (without --check) publish what differs (admin);
                                             exit 1 naming entry:line:col
  onecert matter propose FILE --reason "..." | check FILE | pending | history CODE
  onecert matter approve|reject|publish CODE VERSION --reason "..." | rollback CODE [--version N] --reason "..."
  onecert certificate-type (the same subcommands)
                                             matters and certificate types as reviewed versions: a
                                             department proposes its own, the data administration
                                             (admin) approves and publishes; served without a restart
  onecert proof verify TOKEN [--jwks FILE|URL] [--json]
                                             verify an electronic proof with public keys only
  onecert proof keys | rotate                list the proof signing keys / make a new one active (admin)
  onecert client create --name N --role R --department D [--safelist] [--rate-limit N]
                 [--expires-in-days N] [--direct]
                                             register a calling system and show its API key once
                                             (--direct: straight into the database, no gateway)
  onecert client list | show ID | revoke ID | key ID [--expires-in-days N] | revoke-key KEY_ID
                                             manage clients and their API keys
  onecert department list | show CODE | add CODE --name-zh Z --name-en E --credit-code USCC [--contact C]
  onecert department update CODE [--name-zh Z] [--name-en E] [--credit-code USCC] [--contact C]
                                             the departments directory every client, subgraph and
                                             matter names (add: admin; a typo is UNKNOWN_DEPARTMENT)
  onecert user create USERNAME --name N --role R --department D --client CLIENT_ID [--password-stdin] [--direct]
  onecert user list | disable USERNAME | enable USERNAME | password USERNAME [--password-stdin]
                                             the web console's users (role clerk, officer, auditor,
                                             supervisor or admin), acting with their client's rights;
                                             a strong password is generated and shown once unless given
  onecert grant request --client ID --fields A,B --matters M1,M2 --until YYYY-MM-DD --reason "..."
                 [--clear] [--from YYYY-MM-DD]
                                             ask for CONDITIONAL data (or clear values) for matters
  onecert grant list [--client ID] [--status S] | show ID | approve|reject|revoke ID [--note "..."]
                                             review and decide grants
                                             (client, department and grant call the running gateway's
                                             admin API: ONECERT_URL, ONECERT_API_KEY; --json for machine
                                             output)
  onecert subgraph register NAME --url URL (--schema FILE | --introspect) [--department D]
                 [--contact C] [--update-cycle X] [--override --reason "..."]
  onecert subgraph check NAME [--schema FILE | --introspect] [--url URL] [--remove]
  onecert subgraph update NAME [--url URL] [--schema FILE | --introspect] [--override --reason "..."]
  onecert subgraph remove NAME [--override --reason "..."] | list | show NAME [--sdl]
  onecert subgraph history [NAME] | rollback VERSION [--dry-run] [--override --reason "..."]
                                             the department registry: every change is composed and
                                             checked against field usage, then served by every gateway;
                                             register and update publish only the SDL the running
                                             subgraph serves (SDL_MISMATCH with a diff otherwise)
                                             (admin API as above; a department client: its own only)
  onecert audit verify [--file EXPORT ...] [--archives [--archive-dir D]] [--keys KEYS] [--witness DIR] [--json]
                                             check the audit hash chain, its signed checkpoints and tree
                                             heads (and a witness's), in the database or in export files;
                                             names the first bad record
  onecert audit witness --dir DIR --keys KEYS [--once] [--interval S]
                                             keep every signed tree head of the log, each proven to extend
                                             the last; exit 3 naming the sizes on a fork or a rollback
  onecert audit prove --record SEQ [--tree-size N] [--out FILE] | check-proof FILE --keys KEYS
                                             a record's inclusion proof in a signed tree head / check one
  onecert audit export --out FILE [--after-seq N] [--to-seq N]
                                             write the chain as NDJSON with what verify needs
  onecert audit reconcile --registry NAME --from DATE --to DATE [--registry-database-url URL] [--json]
                                             compare a registry's own access log with the gateway's trail:
                                             requests found on one side only (exit 1 when there are any)
  onecert audit keygen [--suite standard|national] --out FILE | public-key [--key-file F]
                                             a new signing key (Ed25519, or SM2 for national) / the public key to trust
  onecert audit rotate-key                   make a new key the active checkpoint key (AUDIT_SIGNING_KEY_STORE=database)
                                             (verify and export read the database directly: AUDIT_DATABASE_URL,
                                             DATABASE_URL, or the embedded one with the gateway stopped)
`;

type Command = (args: string[]) => Promise<number | void>;

// Each command is loaded only when it runs: `onecert samples` need not load the gateway, the
// registries and Apollo (a second of start-up on a small machine).
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import("./start.js")).start,
  serve: async () => (await import("./serve.js")).serve,
  seed: async () => (await import("./seed.js")).seedCommand,
  samples: async () => (await import("./samples.js")).samplesCommand,
  compose: async () => (await import("./compose.js")).compose,
  client: async () => (await import("./client.js")).clientCommand,
  department: async () => (await import("./department.js")).departmentCommand,
  grant: async () => (await import("./grant.js")).grantCommand,
  user: async () => (await import("./user.js")).userCommand,
  check: async () => (await import("./check.js")).checkCommand,
  proof: async () => (await import("./proof.js")).proofCommand,
  catalogue: async () => (await import("./catalogue.js")).catalogueCommand,
  matter: async () => (await import("./catalogue-entry.js")).catalogueEntryCommand("matter"),
  "certificate-type": async () => (await import("./catalogue-entry.js")).catalogueEntryCommand("certificate"),
  subgraph: async () => (await import("./subgraph.js")).subgraphCommand,
  audit: async () => (await import("./audit.js")).auditCommand,
};

/** Entry point of the `onecert` command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const command = await load();
    return (await command(rest)) ?? 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      // By name: loading the toolkit to compare classes would cost every command its start-up.
      (error as Error).name === "ConfigError" ||
      (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
    ) {
      process.stderr.write(`onecert ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
