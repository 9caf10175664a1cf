import { reconcileAccessLog, type ReconcileEntry, type ReconcileReport } from "@onecert/audit";
import { DATA_DIR, openDb, parseIsoDate, type Db } from "@onecert/subgraph-kit";
import { resolve } from "node:path";
import { SUBGRAPHS } from "../dev/registries";
import { UsageError } from "./options";

export interface ReconcileFlags {
  registry?: string;
  from?: string;
  to?: string;
  "registry-database-url"?: string;
  "registry-data-dir"?: string;
  json?: boolean;
}

const envName = (name: string) => name.toUpperCase().replaceAll("-", "_");

/**
 * The database of a registry's access log: --registry-database-url, <NAME>_DATABASE_URL,
 * DATABASE_URL, else the embedded one `onecert start` runs (--registry-data-dir, PGLITE_DATA_DIR,
 * .data/pglite). Like the registries themselves, an embedded database serves one process.
 */
function openRegistryDb(name: string, flags: ReconcileFlags): Db {
  const url =
    flags["registry-database-url"] ||
    process.env[`${envName(name)}_DATABASE_URL`] ||
    process.env.DATABASE_URL;
  if (url && !flags["registry-data-dir"]) return openDb({ url });
  return openDb({
    dataDir: flags["registry-data-dir"] ?? (process.env.PGLITE_DATA_DIR || resolve(DATA_DIR, "pglite")),
  });
}

function when(flag: "from" | "to", raw: string | undefined): Date {
  if (!raw) throw new UsageError(`audit reconcile needs --${flag} (a date or an ISO date-time)`);
  const parsed = parseIsoDate(raw, flag === "to");
  if (!parsed)
    throw new UsageError(`--${flag} must be YYYY-MM-DD or an ISO date-time with a zone, got "${raw}"`);
  return parsed;
}

function printEntries(title: string, entries: ReconcileEntry[]): string[] {
  if (entries.length === 0) return [`${title}: none`];
  return [
    `${title}: ${entries.length}`,
    ...entries.map(
      (entry) =>
        `  ${entry.at}  assertion ${entry.assertionId}  request ${entry.requestId}  ` +
        `client ${entry.clientName ?? entry.clientId ?? "-"}  matter ${entry.matterCode ?? "-"}  ${entry.outcome}`,
    ),
  ];
}

function print(report: ReconcileReport, json: boolean): number {
  const clean = report.registryOnly.length === 0 && report.gatewayOnly.length === 0;
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const lines = [
      `Reconciled ${report.subgraph} from ${report.from} to ${report.to}: ${report.matched} request(s) on both sides, ` +
        `${report.gatewayOwnCalls} gateway health/schema call(s).`,
      ...printEntries(
        "In the registry's access log only (the gateway's trail does not know them)",
        report.registryOnly,
      ),
      ...printEntries("In the gateway's trail only (the registry's log lacks them)", report.gatewayOnly),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return clean ? 0 : 1;
}

/** `onecert audit reconcile --registry NAME --from … --to …`: exit 0 when both sides agree, 1 when not. */
export async function reconcileCommand(
  flags: ReconcileFlags,
  openAuditDb: () => Promise<Db>,
): Promise<number> {
  const name = flags.registry;
  const known = SUBGRAPHS.map((subgraph) => subgraph.name);
  if (!name) throw new UsageError(`audit reconcile needs --registry (one of ${known.join(", ")})`);
  const definition = SUBGRAPHS.find((subgraph) => subgraph.name === name);
  if (!definition) throw new UsageError(`unknown registry "${name}" (one of ${known.join(", ")})`);
  const [from, to] = [when("from", flags.from), when("to", flags.to)];
  if (!(from < to)) throw new UsageError("--from must be before --to");
  const schema = "dbSchema" in definition ? String(definition.dbSchema) : name.replaceAll("-", "_");
  const audit = await openAuditDb();
  const registry = openRegistryDb(name, flags);
  try {
    const [present] = await registry.query<{ present: boolean }>(
      `SELECT to_regclass('${schema}.access_log') IS NOT NULL AS present`,
    );
    if (!present?.present)
      throw new UsageError(`no access log of ${name} in that database (${schema}.access_log)`);
    return print(
      await reconcileAccessLog({ audit, registry, subgraph: name, schema, from, to }),
      flags.json === true,
    );
  } finally {
    await registry.close();
    await audit.close();
  }
}
