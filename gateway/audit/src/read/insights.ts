import type { Queryable } from "@onecert/subgraph-kit";
import type { AnomalyThresholds } from "../config";
import { AUDIT_SCHEMA } from "../store/schema";

/** Calls and denials under one key (a department, a registry, a certificate type, a day). */
export interface Tally {
  key: string;
  calls: number;
  denied: number;
}

export interface AuditStatistics {
  from: string;
  to: string;
  perDepartment: Tally[];
  perRegistry: Tally[];
  perCertificate: Tally[];
  /** Days in the configured time zone. */
  perDay: Tally[];
  /** Per department and day (configured time zone), by day then calls. */
  perDepartmentDay: (Tally & { day: string })[];
}

export type AnomalyKind = "subjects-per-hour" | "outside-working-hours" | "denial-burst";

/** One flagged stretch of activity of one client and operator. */
export interface Anomaly {
  kind: AnomalyKind;
  clientId: string | null;
  clientName: string | null;
  operatorId: string | null;
  /** The window the count is over. */
  from: string;
  to: string;
  count: number;
  threshold: number;
  detail: string;
}

const RECORDS = `${AUDIT_SCHEMA}.records`;
const TALLY = `count(*)::int AS calls, (count(*) FILTER (WHERE outcome = 'denied'))::int AS denied`;

const tallies = (rows: Record<string, unknown>[]): Tally[] =>
  rows.map((row) => ({ key: String(row.key), calls: Number(row.calls), denied: Number(row.denied) }));

/** Data calls (GraphQL requests) in [from, to) per department, registry, certificate type and day. */
export async function statistics(
  db: Queryable,
  from: Date,
  to: Date,
  timeZone: string,
): Promise<AuditStatistics> {
  const range = `kind = 'graphql' AND at >= $1 AND at < $2`;
  const group = async (key: string, source = RECORDS, order = "calls DESC, key", extra: unknown[] = []) =>
    tallies(
      await db.query(
        `SELECT ${key} AS key, ${TALLY} FROM ${source} WHERE ${range} GROUP BY 1 ORDER BY ${order}`,
        [from, to, ...extra],
      ),
    );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    perDepartment: await group(`coalesce(department, '(unauthenticated)')`),
    perRegistry: await group("registry", `${RECORDS} CROSS JOIN LATERAL unnest(subgraphs) AS registry`),
    perCertificate: await group(
      "certificate",
      `${RECORDS} CROSS JOIN LATERAL unnest(certificates) AS certificate`,
    ),
    perDay: await group(`to_char(at AT TIME ZONE $3, 'YYYY-MM-DD')`, RECORDS, "key", [timeZone]),
    perDepartmentDay: (
      await db.query<{ key: string; day: string; calls: number; denied: number }>(
        `SELECT coalesce(department, '(unauthenticated)') AS key, to_char(at AT TIME ZONE $3, 'YYYY-MM-DD') AS day,
           ${TALLY} FROM ${RECORDS} WHERE ${range} GROUP BY 1, 2 ORDER BY 2, calls DESC, 1`,
        [from, to, timeZone],
      )
    ).map((row) => ({ key: row.key, day: row.day, calls: Number(row.calls), denied: Number(row.denied) })),
  };
}

interface Window {
  client_id: string | null;
  client_name: string | null;
  operator_id: string | null;
  window_from: Date;
  window_to: Date;
  n: number;
}

const anomaly = (kind: AnomalyKind, threshold: number, detail: (row: Window) => string) => (row: Window) => ({
  kind,
  clientId: row.client_id,
  clientName: row.client_name,
  operatorId: row.operator_id,
  from: new Date(row.window_from).toISOString(),
  to: new Date(row.window_to).toISOString(),
  count: Number(row.n),
  threshold,
  detail: detail(row),
});

/**
 * The configured anomaly flags over [from, to): an operator touching more distinct subjects in
 * a clock hour than allowed, data access outside working hours (per operator and local day),
 * and bursts of denials of one client and operator in fixed windows.
 */
export async function anomalies(
  db: Queryable,
  from: Date,
  to: Date,
  rules: AnomalyThresholds,
): Promise<Anomaly[]> {
  const access = `kind = 'graphql' AND outcome <> 'denied' AND at >= $1 AND at < $2`;
  const who = "client_id, client_name, operator_id";
  const perHour = await db.query<Window>(
    `SELECT ${who}, to_timestamp(floor(extract(epoch FROM at) / 3600) * 3600) AS window_from,
            to_timestamp(floor(extract(epoch FROM at) / 3600) * 3600 + 3600) AS window_to, count(DISTINCT subject)::int AS n
     FROM ${RECORDS} CROSS JOIN LATERAL unnest(subjects) AS subject
     WHERE ${access} AND operator_id IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5 HAVING count(DISTINCT subject) > $3 ORDER BY 4, 3`,
    [from, to, rules.subjectsPerHour],
  );
  const local = `(at AT TIME ZONE $3)`;
  const offHours = await db.query<Window>(
    `SELECT ${who}, min(at) AS window_from, max(at) AS window_to, count(*)::int AS n
     FROM ${RECORDS}
     WHERE ${access} AND (
       NOT (extract(isodow FROM ${local})::int = ANY($4::int[]))
       OR extract(hour FROM ${local}) * 60 + extract(minute FROM ${local}) < $5
       OR extract(hour FROM ${local}) * 60 + extract(minute FROM ${local}) >= $6)
     GROUP BY 1, 2, 3, ${local}::date ORDER BY 4, 3`,
    [from, to, rules.timeZone, rules.workingDays, rules.workStartMinute, rules.workEndMinute],
  );
  const seconds = rules.denialWindowMinutes * 60;
  const denials = await db.query<Window>(
    `SELECT ${who}, to_timestamp(floor(extract(epoch FROM at) / $3) * $3) AS window_from,
            to_timestamp(floor(extract(epoch FROM at) / $3) * $3 + $3) AS window_to, count(*)::int AS n
     FROM ${RECORDS} WHERE outcome = 'denied' AND at >= $1 AND at < $2
     GROUP BY 1, 2, 3, 4, 5 HAVING count(*) >= $4 ORDER BY 4, 3`,
    [from, to, seconds, rules.denials],
  );
  const hhmm = (minute: number) =>
    `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
  return [
    ...perHour.map(
      anomaly("subjects-per-hour", rules.subjectsPerHour, (row) => `${row.n} distinct subjects in one hour`),
    ),
    ...offHours.map(
      anomaly(
        "outside-working-hours",
        0,
        (row) =>
          `${row.n} data requests outside ${hhmm(rules.workStartMinute)}-${hhmm(rules.workEndMinute)} on working days (${rules.timeZone})`,
      ),
    ),
    ...denials.map(
      anomaly(
        "denial-burst",
        rules.denials,
        (row) => `${row.n} denials within ${rules.denialWindowMinutes} minutes`,
      ),
    ),
  ].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}
