import { standardSuite, type CryptoSuite } from "@onecert/subgraph-kit/suites";
import { suiteNamed } from "./suites";

/** Where a request entered the gateway. */
export type AuditKind = "graphql" | "admin" | "metrics" | "http";
/** Every kind, for validating a search filter. */
export const AUDIT_KINDS: readonly AuditKind[] = ["graphql", "admin", "metrics", "http"];

/** What became of a request: served, refused by policy (401, 403, 429), or failed. */
export type AuditOutcome = "ok" | "denied" | "error";
/** Every outcome, for validating a search filter. */
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ["ok", "denied", "error"];

/**
 * Version of the record layout; part of every hash, so one layout cannot be confused with
 * another. 2 added `hops`, `sent` and `traceId`; a version-1 record hashes without them. 3 added
 * `suite`, the crypto suite whose digest made the record's hash; records before it are sha256.
 */
export const RECORD_VERSION = 3;

/** The hash the first record of a chain links to. */
export const GENESIS_HASH = "0".repeat(64);

/** Everything recorded about one request, before it takes its place in the chain. */
export interface AuditEntry {
  /** Unique per record (a UUID): a spooled record replayed twice is recognised by it. */
  id: string;
  /** When the request arrived, ISO 8601 with milliseconds. */
  at: string;
  requestId: string;
  /** The gateway process that served it (host:pid). */
  replica: string;
  kind: AuditKind;
  method: string;
  /** Path and query string as received, truncated. */
  path: string;
  clientId: string | null;
  clientName: string | null;
  role: string | null;
  department: string | null;
  /** The API key id or JWT id the client used. */
  credentialId: string | null;
  operatorId: string | null;
  matterCode: string | null;
  caseNumber: string | null;
  /** ID numbers, social credit codes and unit numbers in the variables and the unmasked result, sorted. */
  subjects: string[];
  operationName: string | null;
  /** sha256 of the query text (Apollo's query hash). */
  operationHash: string | null;
  /** Response paths of the values returned, list indices dropped, sorted. */
  fields: string[];
  /** Subgraphs called, sorted. */
  subgraphs: string[];
  /**
   * "subgraph:assertion id" of every signed request the gateway sent a subgraph for this request
   * (the id the subgraph logged too), sorted: what `onecert audit reconcile` matches. Version 2.
   */
  hops: string[];
  /** "subgraph Type.field" of every field the gateway sent a subgraph in representations (@requires), sorted. Version 2. */
  sent: string[];
  /** The OpenTelemetry trace id of the request, when traced. Version 2. */
  traceId: string | null;
  /** Certificate types checked, sorted. */
  certificates: string[];
  cacheHits: number;
  cacheMisses: number;
  outcome: AuditOutcome;
  /** The first error code; null when the request succeeded. */
  errorCode: string | null;
  /** HTTP status sent. */
  status: number;
  /** From arrival to the response being ready, in microseconds. */
  latencyUs: number;
  /** "sha256:<hex>" of the response body, or "stream" for a response streamed after its record. */
  responseDigest: string;
}

/** An entry in its place: sequence, the time the chain took it, and its links. */
export interface AuditRecord extends AuditEntry {
  v: number;
  /**
   * The crypto suite of `hash` ("standard": sha256, "national": SM3), itself hashed. Version 3;
   * null or absent before, where the hash is sha256. A log that switched suite holds both.
   */
  suite?: string | null;
  seq: number;
  /** When the chain took the record, ISO 8601; never earlier than the record before it. */
  loggedAt: string;
  prevHash: string;
  hash: string;
}

/** Column of every record field, in table order; `hash` and `prevHash` are the links. */
export const RECORD_COLUMNS: readonly [keyof AuditRecord, string][] = [
  ["v", "v"],
  ["seq", "seq"],
  ["loggedAt", "logged_at"],
  ["id", "id"],
  ["at", "at"],
  ["requestId", "request_id"],
  ["replica", "replica"],
  ["kind", "kind"],
  ["method", "method"],
  ["path", "path"],
  ["clientId", "client_id"],
  ["clientName", "client_name"],
  ["role", "role"],
  ["department", "department"],
  ["credentialId", "credential_id"],
  ["operatorId", "operator_id"],
  ["matterCode", "matter_code"],
  ["caseNumber", "case_number"],
  ["subjects", "subjects"],
  ["operationName", "operation_name"],
  ["operationHash", "operation_hash"],
  ["fields", "fields"],
  ["subgraphs", "subgraphs"],
  ["certificates", "certificates"],
  ["hops", "hops"],
  ["sent", "sent"],
  ["traceId", "trace_id"],
  ["cacheHits", "cache_hits"],
  ["cacheMisses", "cache_misses"],
  ["outcome", "outcome"],
  ["errorCode", "error_code"],
  ["status", "status"],
  ["latencyUs", "latency_us"],
  ["responseDigest", "response_digest"],
  ["suite", "suite"],
  ["prevHash", "prev_hash"],
  ["hash", "hash"],
];

/** JSON with object keys sorted at every level and no spaces: one text per value, for hashing and signing. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
}

/** The hashed content of a record: every field except the hash itself (the previous hash is included). */
export function recordContent(record: Omit<AuditRecord, "hash"> | AuditRecord): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const key of hashedKeys(record.v)) content[key] = (record as Partial<AuditRecord>)[key];
  return content;
}

/** The version that added each field a first-version record did not have. */
const ADDED_IN: Partial<Record<keyof AuditRecord, number>> = { hops: 2, sent: 2, traceId: 2, suite: 3 };

// The hashed keys in canonical (sorted) order: a record's values are strings, integers, null or
// lists of strings, whose JSON.stringify is already canonical, so the fast path below writes the
// same text as canonicalJson(recordContent(record)) without sorting per record.
const hashedKeys = (version: number) =>
  RECORD_COLUMNS.map(([key]) => key)
    .filter((key) => key !== "hash" && version >= (ADDED_IN[key] ?? 1))
    .sort();
const prefixes = (keys: readonly string[]) =>
  keys.map((key, index) => `${index === 0 ? "{" : ","}${JSON.stringify(key)}:`);
const LAYOUTS = new Map(
  [1, 2, 3].map((version) => {
    const keys = hashedKeys(version);
    return [version, { keys, prefixes: prefixes(keys) }] as const;
  }),
);

/** The canonical JSON of a record's hashed content; equal to canonicalJson(recordContent(record)). */
export function canonicalRecord(record: Omit<AuditRecord, "hash"> | AuditRecord): string {
  const layout = LAYOUTS.get(record.v) ?? LAYOUTS.get(RECORD_VERSION)!;
  let text = "";
  for (let index = 0; index < layout.keys.length; index += 1) {
    const value = (record as Partial<AuditRecord>)[layout.keys[index]];
    text += layout.prefixes[index] + (value === undefined ? "null" : JSON.stringify(value));
  }
  return `${text}}`;
}

/**
 * The suite a record's hash is made in: the one it names from version 3, sha256 (standard)
 * before; null when it names one this code does not know, which no hash then matches.
 */
export const recordSuite = (record: Pick<AuditRecord, "v" | "suite">): CryptoSuite | null =>
  record.v < 3 ? standardSuite : suiteNamed(record.suite);

/**
 * The digest (hex) over the canonical JSON of the record's content, which includes `prevHash`,
 * in the record's suite. Throws for a suite it does not know; verification uses recordIntact.
 */
export function recordHash(record: Omit<AuditRecord, "hash"> | AuditRecord): string {
  const suite = recordSuite(record);
  if (!suite) throw new Error(`record ${record.seq} names an unknown crypto suite ${String(record.suite)}`);
  return suite.digest(canonicalRecord(record)).toString("hex");
}

/** Whether the record's content gives its hash, in the suite it names. */
export const recordIntact = (record: AuditRecord): boolean =>
  recordSuite(record) !== null && recordHash(record) === record.hash;

/**
 * Places entries after `head`: consecutive sequence numbers, non-decreasing time, linked hashes
 * in `suite` (the deployment's, CRYPTO_SUITE), which each record names.
 */
export function chainEntries(
  head: { seq: number; hash: string; loggedAt: Date },
  entries: readonly AuditEntry[],
  now: Date,
  suite: CryptoSuite = standardSuite,
): AuditRecord[] {
  const loggedAt = new Date(Math.max(now.getTime(), head.loggedAt.getTime())).toISOString();
  let prevHash = head.hash;
  return entries.map((entry, index) => {
    const unhashed = {
      ...entry,
      v: RECORD_VERSION,
      suite: suite.name,
      seq: head.seq + index + 1,
      loggedAt,
      prevHash,
    };
    const hash = recordHash(unhashed);
    prevHash = hash;
    return { ...unhashed, hash };
  });
}

/** The digest of a response body as recorded, naming its algorithm: "sha256:<hex>" or "sm3:<hex>". */
export const bodyDigest = (body: Buffer | string, suite: CryptoSuite = standardSuite): string =>
  `${suite.digestName}:${suite.digest(body).toString("hex")}`;
