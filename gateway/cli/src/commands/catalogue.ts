import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  CatalogueError,
  loadCatalogue,
  supergraphView,
  type EntryKind,
  type LoadedCatalogue,
} from "@onecert/catalogue";
import { adminCall, reportFailures } from "./admin-client";
import { SCHEMA_DIR, SUPERGRAPH_PATH, type Env } from "@onecert/subgraph-kit";
import { UsageError } from "./usage-error";

const USAGE = 'catalogue export --out DIR | import DIR [--check] [--reason "..."]';

/**
 * Where the catalogue lives: MATTERS_DIR and CERTIFICATES_DIR, checked against SUPERGRAPH_PATH,
 * with the defaults both the gateway (gateway/server/src/config.ts) and the certificates service
 * (subgraphs/certificates/src/config.ts) use.
 */
export function catalogueDirs(env: Env = process.env) {
  return {
    mattersDir: env.MATTERS_DIR || resolve(SCHEMA_DIR, "matters"),
    certificatesDir: env.CERTIFICATES_DIR || resolve(SCHEMA_DIR, "certificates"),
    supergraphPath: env.SUPERGRAPH_PATH || SUPERGRAPH_PATH,
  };
}

/** Loads a catalogue as the certificates service does at start; the problems, one a line, when it does not. */
function load(dirs: { mattersDir: string; certificatesDir: string }, supergraphPath: string) {
  for (const dir of [dirs.mattersDir, dirs.certificatesDir])
    if (!existsSync(dir)) return { catalogue: null, problems: [`${dir}: no such directory`] };
  try {
    const supergraph = supergraphView(readFileSync(supergraphPath, "utf8"));
    return { catalogue: loadCatalogue({ ...dirs, supergraph }), problems: [] };
  } catch (error) {
    if (error instanceof CatalogueError) return { catalogue: null, problems: error.problems };
    throw error;
  }
}

const report = (problems: readonly string[]) => process.stderr.write(problems.map((p) => `${p}\n`).join(""));

interface LiveCatalogue {
  generation: number;
  entries: { kind: EntryKind; code: string; version: number; department: string; source: string }[];
}

/** Where each kind's files go in an export, and come from in an import. */
const FOLDERS: Record<EntryKind, string> = { certificate: "certificates", matter: "matters" };
const API_PATHS: Record<EntryKind, string> = { certificate: "certificate-types", matter: "matters" };

/**
 * `onecert catalogue export --out DIR`: the running gateway's live catalogue (admin API, as an
 * admin, department or auditor client) written as DIR/matters/<code>.yaml and
 * DIR/certificates/<id>.yaml, each the exact text of its live version: exporting the seeded
 * catalogue gives schema/ back byte for byte.
 *
 * `onecert catalogue import DIR [--check] [--reason "..."]`: DIR/matters and DIR/certificates
 * checked with the schemas and the start-up checks against SUPERGRAPH_PATH (with --check, that
 * is all: no gateway needed); then every entry whose text differs from the live one is proposed,
 * approved and published as an admin (certificate types first, as matters name them). Entries
 * the directory lacks stay live. Exit 0 ok, 1 problems (one a line) or a refusal, 2 usage.
 */
export async function catalogueCommand(args: string[], env: Env = process.env): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { out: { type: "string" }, check: { type: "boolean" }, reason: { type: "string" } },
  });
  const config = catalogueDirs(env);
  switch (sub) {
    case "export": {
      if (!values.out || positionals.length > 0 || values.check || values.reason)
        throw new UsageError(`expected ${USAGE.split(" | ")[0]}`);
      const out = values.out;
      return reportFailures("catalogue", async () => {
        const live = await adminCall<LiveCatalogue>("GET", "/catalogue");
        for (const dir of Object.values(FOLDERS)) mkdirSync(join(out, dir), { recursive: true });
        for (const entry of live.entries)
          writeFileSync(join(out, FOLDERS[entry.kind], `${entry.code}.yaml`), entry.source);
        const count = (kind: EntryKind) => live.entries.filter((e) => e.kind === kind).length;
        process.stdout.write(
          `Wrote ${count("matter")} matters and ${count("certificate")} certificate types (catalogue generation ${live.generation}) to ${out}.\n`,
        );
        return 0;
      });
    }
    case "import": {
      if (positionals.length !== 1 || values.out !== undefined)
        throw new UsageError(`expected ${USAGE.split(" | ")[1]}`);
      const [dir] = positionals;
      const from = { mattersDir: join(dir, "matters"), certificatesDir: join(dir, "certificates") };
      const { catalogue, problems } = load(from, config.supergraphPath);
      if (!catalogue) return (report(problems), 1);
      const counts = `${catalogue.matters.size} matters and ${catalogue.certificates.size} certificate types`;
      if (values.check) {
        process.stdout.write(`${dir}: ${counts} fit the supergraph.\n`);
        return 0;
      }
      const reason = values.reason ?? `imported from ${resolve(dir)}`;
      return reportFailures("catalogue", () => publishDifferences(catalogue, reason));
    }
    default:
      throw new UsageError(`expected ${USAGE}`);
  }
}

/** Proposes, approves and publishes each entry whose text is not the live version's. */
async function publishDifferences(catalogue: LoadedCatalogue, reason: string) {
  const live = await adminCall<LiveCatalogue>("GET", "/catalogue");
  const current = new Map(live.entries.map((e) => [`${e.kind}/${e.code}`, e.source]));
  const wanted: { kind: EntryKind; code: string; source?: string }[] = [
    ...[...catalogue.certificates].map(([code, type]) => ({
      kind: "certificate" as const,
      code,
      source: type.source,
    })),
    ...[...catalogue.matters].map(([code, matter]) => ({
      kind: "matter" as const,
      code,
      source: matter.source,
    })),
  ];
  let published = 0;
  for (const { kind, code, source } of wanted) {
    if (source === undefined || current.get(`${kind}/${code}`) === source) continue;
    const proposed = await adminCall<{ version: number }>("POST", "/catalogue/proposals", {
      kind,
      source,
      reason,
    });
    const base = `/catalogue/${API_PATHS[kind]}/${encodeURIComponent(code)}/versions/${proposed.version}`;
    await adminCall("POST", `${base}/approve`, { reason });
    await adminCall("POST", `${base}/publish`, { reason });
    process.stdout.write(`Published ${kind} ${code} v${proposed.version}.\n`);
    published++;
  }
  process.stdout.write(`Imported: ${published} published, ${wanted.length - published} unchanged.\n`);
  return 0;
}
