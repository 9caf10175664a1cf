import type { AuditRecord } from "../record";

/** Columns of the CSV export, in order. */
const CSV_COLUMNS: [string, (record: AuditRecord) => unknown][] = [
  ["seq", (r) => r.seq],
  ["at", (r) => r.at],
  ["request_id", (r) => r.requestId],
  ["kind", (r) => r.kind],
  ["method", (r) => r.method],
  ["path", (r) => r.path],
  ["client_id", (r) => r.clientId],
  ["client_name", (r) => r.clientName],
  ["role", (r) => r.role],
  ["department", (r) => r.department],
  ["operator_id", (r) => r.operatorId],
  ["matter_code", (r) => r.matterCode],
  ["case_number", (r) => r.caseNumber],
  ["subjects", (r) => r.subjects.join(" ")],
  ["operation_name", (r) => r.operationName],
  ["operation_hash", (r) => r.operationHash],
  ["fields", (r) => r.fields.join(" ")],
  ["subgraphs", (r) => r.subgraphs.join(" ")],
  ["certificates", (r) => r.certificates.join(" ")],
  ["cache_hits", (r) => r.cacheHits],
  ["cache_misses", (r) => r.cacheMisses],
  ["outcome", (r) => r.outcome],
  ["error_code", (r) => r.errorCode],
  ["status", (r) => r.status],
  ["latency_us", (r) => r.latencyUs],
  ["response_digest", (r) => r.responseDigest],
  ["replica", (r) => r.replica],
  ["hash", (r) => r.hash],
];

/**
 * One CSV cell (RFC 4180). A text starting with = + - @ gets a leading apostrophe so that a
 * spreadsheet shows it instead of evaluating it: header values reach the log unchecked.
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header line. */
export const csvHeader = (): string => `${CSV_COLUMNS.map(([name]) => name).join(",")}\r\n`;

/** One record as a CSV line. */
export const csvLine = (record: AuditRecord): string =>
  `${CSV_COLUMNS.map(([, value]) => cell(value(record))).join(",")}\r\n`;

/** One record as an NDJSON line (the same fields `audit export` writes). */
export const ndjsonLine = (record: AuditRecord): string => `${JSON.stringify(record)}\n`;
