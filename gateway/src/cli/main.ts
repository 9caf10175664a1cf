import { ConfigError } from "../config";
import { clientCommand } from "./client";
import { compose } from "./compose";
import { grantCommand } from "./grant";
import { UsageError } from "./options";
import { samplesCommand } from "./samples";
import { seedCommand } from "./seed";
import { serve } from "./serve";
import { start } from "./start";

const USAGE = `onecert: OneCert federation gateway

Usage:
  onecert start [--persons N] [--seed S]     start the four registries and the gateway (embedded
                                             database in .data/ unless DATABASE_URL is set)
  onecert serve <registry|gateway>           run one service alone (population, legal-entity,
                                             property, social-insurance, gateway)
  onecert seed [--persons N] [--seed S] [--as-of YYYYMM]
                                             replace the registries' data with a synthetic world
  onecert samples [--json | --case NAME]     demo subjects per case from the seeded world
  onecert compose [--check]                  export the subgraph SDLs and compose schema/supergraph.graphql
  onecert client create --name N --role R --department D [--safelist] [--rate-limit N]
                 [--expires-in-days N] [--direct]
                                             register a calling system and show its API key once
                                             (--direct: straight into the database, no gateway)
  onecert client list | show ID | revoke ID | key ID [--expires-in-days N] | revoke-key KEY_ID
                                             manage clients and their API keys
  onecert grant request --client ID --fields A,B --matters M1,M2 --until YYYY-MM-DD --reason "..."
                 [--clear] [--from YYYY-MM-DD]
                                             ask for CONDITIONAL data (or clear values) for matters
  onecert grant list [--client ID] [--status S] | show ID | approve|reject|revoke ID [--note "..."]
                                             review and decide grants
                                             (client and grant call the running gateway's admin API:
                                             ONECERT_URL, ONECERT_API_KEY; --json for machine output)
`;

type Command = (args: string[]) => Promise<number | void>;

const COMMANDS: Record<string, Command> = {
  start,
  serve,
  seed: seedCommand,
  samples: samplesCommand,
  compose,
  client: clientCommand,
  grant: grantCommand,
};

/** Entry point of the `onecert` command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return (await command(rest)) ?? 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
    ) {
      process.stderr.write(`onecert ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
