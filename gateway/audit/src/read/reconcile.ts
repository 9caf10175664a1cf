import { standardSuite } from "@onecert/subgraph-kit/suites";
import type { Db } from "@onecert/subgraph-kit";

/**
 * The gateway's trail and a subgraph's own access log, side by side. Every request the gateway
 * sends a subgraph carries an assertion id; the subgraph logs it before it answers and names it
 * back, and the gateway's audit record of the request keeps it (`hops`, "<subgraph>:<id>"). An
 * id only the subgraph holds is a request the gateway did not record: a bypass, a leaked key or
 * a lost audit record. One only the gateway holds is a request whose entry the subgraph lost.
 */

export interface ReconcileOptions {
  /** The gateway's audit database. */
  audit: Db;
  /** The database holding the subgraph's access log (its department's own). */
  registry: Db;
  /** The subgraph's name in the supergraph (what `hops` names). */
  subgraph: string;
  /** The PostgreSQL schema of its access log. */
  schema: string;
  from: Date;
  to: Date;
  /**
   * How far apart the two sides' clocks and write times may be: an entry near either end is
   * looked for this much beyond it on the other side. Default 120000 ms.
   */
  graceMs?: number;
}

/** One request as either side recorded it. */
export interface ReconcileEntry {
  assertionId: string;
  at: string;
  requestId: string;
  clientId: string | null;
  clientName: string | null;
  matterCode: string | null;
  operatorId: string | null;
  outcome: string;
}

export interface ReconcileReport {
  subgraph: string;
  from: string;
  to: string;
  /** Requests both sides hold. */
  matched: number;
  /** The gateway's own calls (health probes, schema reads): no client, not in the audit trail. */
  gatewayOwnCalls: number;
  /** In the subgraph's log only. */
  registryOnly: ReconcileEntry[];
  /** In the gateway's trail only. */
  gatewayOnly: ReconcileEntry[];
}

const SAFE_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** What the gateway sends on its own (health probe, SDL reads), by the access log's operation hash. */
const OWN_OPERATIONS = new Set(
  ["{ __typename }", "{ _service { sdl } }", "query __ApolloGetServiceDefinition__ { _service { sdl } }"].map(
    // Apollo's operation hash is sha256 whatever the suite: the access logs record that one.
    (query) => standardSuite.digest(query).toString("hex"),
  ),
);

interface Row {
  assertion_id: string;
  at: Date;
  request_id: string;
  client_id: string | null;
  client_name: string | null;
  matter_code: string | null;
  operator_id: string | null;
  outcome: string;
  operation_hash?: string;
}

const entryOf = (row: Row): ReconcileEntry => ({
  assertionId: row.assertion_id,
  at: new Date(row.at).toISOString(),
  requestId: row.request_id,
  clientId: row.client_id,
  clientName: row.client_name,
  matterCode: row.matter_code,
  operatorId: row.operator_id,
  outcome: row.outcome,
});

export async function reconcileAccessLog(options: ReconcileOptions): Promise<ReconcileReport> {
  if (!SAFE_SCHEMA.test(options.schema)) throw new Error(`invalid schema name: ${options.schema}`);
  if (!(options.from < options.to)) throw new Error("--from must be before --to");
  const grace = options.graceMs ?? 120_000;
  const wideFrom = new Date(options.from.getTime() - grace);
  const wideTo = new Date(options.to.getTime() + grace);
  const prefix = `${options.subgraph}:`;
  const registryRows = (from: Date, to: Date) =>
    options.registry.query<Row>(
      `SELECT assertion_id, at, request_id, client_id, client_name, matter_code, operator_id, outcome, operation_hash
       FROM ${options.schema}.access_log WHERE at >= $1 AND at < $2 ORDER BY seq`,
      [from, to],
    );
  const gatewayRows = (from: Date, to: Date) =>
    options.audit.query<Row>(
      `SELECT substr(h, $3::int) AS assertion_id, r.at, r.request_id, r.client_id, r.client_name,
              r.matter_code, r.operator_id, r.outcome
       FROM audit.records r, unnest(r.hops) AS h
       WHERE r.at >= $1 AND r.at < $2 AND starts_with(h, $4) ORDER BY r.seq`,
      [from, to, prefix.length + 1, prefix],
    );
  const [registryInside, registryWide, gatewayInside, gatewayWide] = await Promise.all([
    registryRows(options.from, options.to),
    registryRows(wideFrom, wideTo),
    gatewayRows(options.from, options.to),
    gatewayRows(wideFrom, wideTo),
  ]);
  const inGateway = new Set(gatewayWide.map((row) => row.assertion_id));
  const inRegistry = new Set(registryWide.map((row) => row.assertion_id));
  let matched = 0;
  let own = 0;
  const registryOnly: ReconcileEntry[] = [];
  for (const row of registryInside) {
    if (inGateway.has(row.assertion_id)) matched += 1;
    else if (row.client_id === null && OWN_OPERATIONS.has(row.operation_hash ?? "")) own += 1;
    else registryOnly.push(entryOf(row));
  }
  const gatewayOnly = gatewayInside.filter((row) => !inRegistry.has(row.assertion_id)).map(entryOf);
  return {
    subgraph: options.subgraph,
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    matched,
    gatewayOwnCalls: own,
    registryOnly,
    gatewayOnly,
  };
}
