import type { AuditRecord } from "../record";
import { RECORD_COLUMNS } from "../record";
import { AUDIT_SCHEMA } from "./schema";
import type { Checkpoint } from "../signing";

// The statements of the audit store and the mapping between its rows and records.

/** The chain head: last sequence and hash, when it was taken, and the last signed sequence. */
export const HEAD_SQL = `SELECT seq, hash, logged_at, checkpoint_seq FROM ${AUDIT_SCHEMA}.chain WHERE id = 1`;
/** Every record column, in table order. */
export const SELECT_RECORD = RECORD_COLUMNS.map(([, column]) => column).join(", ");
/** Records read per statement when the chain is walked. */
export const PAGE = 2000;

export type Row = Record<string, unknown>;

/** The head row as a ChainHead. */
export const toHead = (row: Row): ChainHead => ({
  seq: Number(row.seq),
  hash: String(row.hash),
  loggedAt: new Date(row.logged_at as Date),
  checkpointSeq: Number(row.checkpoint_seq),
});

/** A timestamptz value as ISO 8601 with milliseconds, as records hash it. */
export const iso = (value: unknown): string => new Date(value as Date).toISOString();

/** A database row as a record: exact for every hashed field, so the hash recomputes. */
export function fromRow(row: Row): AuditRecord {
  const record: Record<string, unknown> = {};
  for (const [key, column] of RECORD_COLUMNS) record[key] = row[column];
  for (const key of ["v", "seq", "cacheHits", "cacheMisses", "status", "latencyUs"])
    record[key] = Number(record[key]);
  record.at = iso(record.at);
  record.loggedAt = iso(record.loggedAt);
  return record as unknown as AuditRecord;
}

/** A checkpoints row as a Checkpoint. */
export const toCheckpoint = (row: Row): Checkpoint => ({
  seq: Number(row.seq),
  hash: String(row.hash),
  count: Number(row.count),
  at: iso(row.at),
  keyId: String(row.key_id),
  // Absent, not null, on a version-1 checkpoint: its signed bytes have neither.
  ...(typeof row.suite === "string" ? { suite: row.suite } : {}),
  ...(typeof row.alg === "string" ? { alg: row.alg } : {}),
  signature: String(row.signature),
});

/** The checkpoint columns, in the order toCheckpoint reads and the inserts write them. */
export const CHECKPOINT_COLUMNS = "seq, hash, count, at, key_id, signature, suite, alg";

/**
 * One statement appends a batch: it moves the chain head only if the head is still the one the
 * batch was chained to ($12), and only then inserts the records (one JSON parameter, the cheapest
 * way into the embedded database) and the checkpoint when one is due. It reports whether it moved.
 */
export const APPEND_SQL = `
  WITH head AS (
    UPDATE ${AUDIT_SCHEMA}.chain SET seq = $8, hash = $9, logged_at = $10, checkpoint_seq = GREATEST(checkpoint_seq, $11)
    WHERE id = 1 AND seq = $12 AND hash = $13 RETURNING 1
  ), records AS (
    INSERT INTO ${AUDIT_SCHEMA}.records (${SELECT_RECORD})
    SELECT ${SELECT_RECORD} FROM json_populate_recordset(NULL::${AUDIT_SCHEMA}.records, $1::json)
    WHERE EXISTS (SELECT 1 FROM head)
  ), checkpoint AS (
    INSERT INTO ${AUDIT_SCHEMA}.checkpoints (seq, hash, count, at, key_id, signature, suite, alg)
    SELECT $2::bigint, $3::text, $4::bigint, $5::timestamptz, $6::text, $7::text, $14::text, $15::text
    WHERE $2::bigint IS NOT NULL AND EXISTS (SELECT 1 FROM head)
  )
  SELECT count(*)::int AS moved FROM head`;

const COLUMN_PREFIXES = RECORD_COLUMNS.map(([, column], index) => `${index === 0 ? "{" : ","}"${column}":`);

/** The parameters of APPEND_SQL for a chained batch, its checkpoint (if due) and the checkpoint sequence. */
export function appendParams(
  records: readonly AuditRecord[],
  checkpoint: Checkpoint | null,
  checkpointSeq: number,
): unknown[] {
  // The JSON text is written directly, column by column: no intermediate row objects.
  let rows = "";
  for (const record of records) {
    let row = "";
    for (let index = 0; index < RECORD_COLUMNS.length; index += 1) {
      const value = record[RECORD_COLUMNS[index][0]];
      row += COLUMN_PREFIXES[index] + (value === undefined ? "null" : JSON.stringify(value));
    }
    rows += `${rows ? "," : "["}${row}}`;
  }
  const last = records[records.length - 1];
  const signed = checkpoint
    ? [
        checkpoint.seq,
        checkpoint.hash,
        checkpoint.count,
        checkpoint.at,
        checkpoint.keyId,
        checkpoint.signature,
      ]
    : [null, null, null, null, null, null];
  const first = records[0];
  return [
    `${rows}]`,
    ...signed,
    last.seq,
    last.hash,
    last.loggedAt,
    checkpointSeq,
    first.seq - 1,
    first.prevHash,
    checkpoint?.suite ?? null,
    checkpoint?.alg ?? null,
  ];
}

/** An archives row as an ArchiveInfo. */
export const toArchive = (row: Row): ArchiveInfo => ({
  month: String(row.month),
  firstSeq: Number(row.first_seq),
  lastSeq: Number(row.last_seq),
  lastHash: String(row.last_hash),
  records: Number(row.records),
  file: String(row.file),
  sha256: String(row.sha256),
});

/** The last record of the chain and the last signed checkpoint. */
export interface ChainHead {
  seq: number;
  hash: string;
  loggedAt: Date;
  checkpointSeq: number;
}

/** A month of records that retention moved to a file and dropped. */
export interface ArchiveInfo {
  month: string;
  firstSeq: number;
  lastSeq: number;
  lastHash: string;
  records: number;
  file: string;
  sha256: string;
}
