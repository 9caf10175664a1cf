import type { Queryable } from "@onecert/subgraph-kit";
import type { AuditKind, AuditOutcome, AuditRecord } from "../record";
import { AUDIT_SCHEMA } from "../store/schema";
import { fromRow } from "../store/store";
import { RECORD_COLUMNS } from "../record";

/** What an auditor searches by; every given condition must hold. */
export interface SearchFilter {
  /** An ID number, social credit code or unit number among the record's subjects. */
  subject?: string;
  /** Client id or name. */
  client?: string;
  operator?: string;
  matter?: string;
  outcome?: AuditOutcome;
  kind?: AuditKind;
  /** Request time, inclusive. */
  from?: Date;
  /** Request time, exclusive. */
  to?: Date;
}

export interface SearchPage {
  records: AuditRecord[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** A cursor that does not decode. */
export class CursorError extends Error {}

const COLUMNS = RECORD_COLUMNS.map(([, column]) => column).join(", ");

const encodeCursor = (seq: number): string => Buffer.from(`seq:${seq}`).toString("base64url");

function decodeCursor(cursor: string): number {
  const match = /^seq:(\d{1,16})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new CursorError("cursor is not one this API returned");
  return Number(match[1]);
}

/** The WHERE clause and parameters of a filter; `params` may already hold earlier parameters. */
export function whereOf(filter: SearchFilter, params: unknown[] = []): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.subject) add((p) => `subjects @> ARRAY[${p}::text]`, filter.subject);
  if (filter.client) add((p) => `(client_id = ${p} OR client_name = ${p})`, filter.client);
  if (filter.operator) add((p) => `operator_id = ${p}`, filter.operator);
  if (filter.matter) add((p) => `matter_code = ${p}`, filter.matter);
  if (filter.outcome) add((p) => `outcome = ${p}`, filter.outcome);
  if (filter.kind) add((p) => `kind = ${p}`, filter.kind);
  if (filter.from) add((p) => `at >= ${p}`, filter.from);
  if (filter.to) add((p) => `at < ${p}`, filter.to);
  return { where: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

/** One page of matching records, newest first; keyset pagination on the sequence. */
export async function searchRecords(
  db: Queryable,
  filter: SearchFilter,
  page: { limit: number; cursor?: string | null },
): Promise<SearchPage> {
  const before = page.cursor ? decodeCursor(page.cursor) : null;
  const { where, params } = whereOf(filter);
  let clause = where;
  if (before !== null) {
    params.push(before);
    clause = `${where ? `${where} AND` : "WHERE"} seq < $${params.length}`;
  }
  params.push(page.limit + 1);
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM ${AUDIT_SCHEMA}.records ${clause} ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  const records = rows.slice(0, page.limit).map(fromRow);
  const more = rows.length > page.limit;
  return { records, nextCursor: more ? encodeCursor(records[records.length - 1].seq) : null };
}

/** Every matching record, newest first, page by page (for exports). */
export async function* searchAll(
  db: Queryable,
  filter: SearchFilter,
  pageSize = 1000,
): AsyncGenerator<AuditRecord> {
  let cursor: string | null = null;
  do {
    const page: SearchPage = await searchRecords(db, filter, { limit: pageSize, cursor });
    yield* page.records;
    cursor = page.nextCursor;
  } while (cursor);
}

/** One access to a subject, as the subject is shown it. */
export interface SubjectAccess {
  at: string;
  /** The calling system and its department. */
  client: string | null;
  department: string | null;
  operator: string | null;
  matter: string | null;
  caseNumber: string | null;
  /** What was returned (none when denied). */
  fields: string[];
  /** ok, partial, denied or error, as the caller was answered, with the HTTP status and first error code. */
  outcome: string;
  status: number;
  errorCode: string | null;
  seq: number;
}

/**
 * Who asked for data about `subject`, when, for which matter and what they were given: every
 * GraphQL request naming it, denied and failed ones too (with their outcome and no fields),
 * newest first, leaving out restricted matters entirely (not even a count, so that an
 * investigation does not show).
 */
export async function subjectHistory(
  db: Queryable,
  subject: string,
  restricted: readonly string[],
  page: { limit: number; cursor?: string | null },
): Promise<{ accesses: SubjectAccess[]; nextCursor: string | null }> {
  const params: unknown[] = [subject, [...restricted]];
  // A record that timed out and was then refused is superseded by the refusal that follows it.
  let clause = `subjects @> ARRAY[$1::text] AND kind = 'graphql'
    AND (matter_code IS NULL OR NOT (matter_code = ANY($2::text[])))
    AND NOT EXISTS (SELECT 1 FROM ${AUDIT_SCHEMA}.records later WHERE later.request_id = records.request_id
      AND later.seq > records.seq AND later.error_code = 'AUDIT_UNAVAILABLE')`;
  if (page.cursor) {
    params.push(decodeCursor(page.cursor));
    clause += ` AND seq < $${params.length}`;
  }
  params.push(page.limit + 1);
  const rows = await db.query<Record<string, unknown>>(
    `SELECT seq, at, client_name, department, operator_id, matter_code, case_number, fields, outcome, status, error_code
     FROM ${AUDIT_SCHEMA}.records WHERE ${clause} ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  const accesses = rows.slice(0, page.limit).map((row) => ({
    at: new Date(row.at as Date).toISOString(),
    client: (row.client_name as string | null) ?? null,
    department: (row.department as string | null) ?? null,
    operator: (row.operator_id as string | null) ?? null,
    matter: (row.matter_code as string | null) ?? null,
    caseNumber: (row.case_number as string | null) ?? null,
    fields: row.fields as string[],
    outcome: row.outcome as string,
    status: Number(row.status),
    errorCode: (row.error_code as string | null) ?? null,
    seq: Number(row.seq),
  }));
  const more = rows.length > page.limit;
  return { accesses, nextCursor: more ? encodeCursor(accesses[accesses.length - 1].seq) : null };
}
