import type { Db, Migration } from "../db";
import type { Logger } from "../logger";
import type { HopContext } from "./claims";

/** One request a subgraph served (or refused after verifying it came from the gateway). */
export interface AccessEntry {
  hop: HopContext;
  /** sha256 (hex) of the query text. */
  operationHash: string;
  /** ID numbers, credit codes and unit numbers in the answer: the entities served. */
  entityKeys: string[];
  outcome: "ok" | "error";
  /** The first error code, when there was one. */
  errorCode: string | null;
  status: number;
}

const SAFE = /^[a-z_][a-z0-9_]*$/;

/**
 * A subgraph's own record of every verified request, in its own schema: `access_log`, append
 * only (triggers refuse UPDATE, DELETE and TRUNCATE). The gateway's audit trail keeps the same
 * assertion ids, so `onecert audit reconcile` can list what one side holds and the other not.
 * Every registry lists it in its migrations, like the outbox.
 */
export function accessLogMigration(schema: string, version: number): Migration {
  if (!SAFE.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return {
    version,
    description: "access log: every request verified to come from the gateway",
    sql: `
      CREATE TABLE ${schema}.access_log (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        assertion_id text NOT NULL UNIQUE,
        request_id text NOT NULL,
        issuer text NOT NULL,
        client_id text,
        client_name text,
        department text,
        role text,
        operator_id text,
        matter_code text,
        case_number text,
        operation_hash text NOT NULL,
        entity_keys text[] NOT NULL,
        outcome text NOT NULL,
        error_code text,
        status integer NOT NULL
      );
      CREATE INDEX access_log_at_idx ON ${schema}.access_log (at)
    `,
    async run(tx) {
      await tx.query(
        `CREATE OR REPLACE FUNCTION ${schema}.access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`,
      );
      await tx.query(
        `CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON ${schema}.access_log
         FOR EACH ROW EXECUTE FUNCTION ${schema}.access_log_refuse_change()`,
      );
      await tx.query(
        `CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON ${schema}.access_log
         FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.access_log_refuse_change()`,
      );
    },
  };
}

export interface AccessLog {
  /** Resolves once the entry is committed; the subgraph answers only then. */
  record(entry: AccessEntry): Promise<void>;
  /** Waits for what is being written, then stops. */
  close(): Promise<void>;
}

/**
 * Writes entries in batches: a batch starts at once when none is being written, and collects
 * whatever arrives meanwhile, so each request waits for one commit, not for a queue of them.
 */
export function createAccessLog(db: Db, schema: string, logger: Logger): AccessLog {
  let pending: { entry: AccessEntry; done: (error?: Error) => void }[] = [];
  let writing: Promise<void> | null = null;
  const columns = `assertion_id, request_id, issuer, client_id, client_name, department, role, operator_id,
    matter_code, case_number, operation_hash, entity_keys, outcome, error_code, status`;
  const sql = `INSERT INTO ${schema}.access_log (${columns})
    SELECT * FROM json_to_recordset($1::json) AS r(assertion_id text, request_id text, issuer text,
      client_id text, client_name text, department text, role text, operator_id text, matter_code text,
      case_number text, operation_hash text, entity_keys text[], outcome text, error_code text, status integer)`;

  const flush = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      const rows = batch.map(({ entry: { hop, ...entry } }) => ({
        assertion_id: hop.id,
        request_id: hop.requestId,
        issuer: hop.issuer,
        client_id: hop.client?.id ?? null,
        client_name: hop.client?.name ?? null,
        department: hop.client?.department ?? null,
        role: hop.client?.role ?? null,
        operator_id: hop.operatorId,
        matter_code: hop.matterCode,
        case_number: hop.caseNumber,
        operation_hash: entry.operationHash,
        entity_keys: entry.entityKeys,
        outcome: entry.outcome,
        error_code: entry.errorCode,
        status: entry.status,
      }));
      try {
        await db.query(sql, [JSON.stringify(rows)], { name: `${schema}_access_log_append` });
        for (const item of batch) item.done();
      } catch (error) {
        logger.error({ err: error, entries: batch.length }, "the access log could not be written");
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const item of batch) item.done(failure);
      }
    }
  };

  // An entry may arrive after the loop saw none and before `writing` is cleared: start again.
  const kick = () => {
    writing ??= flush().finally(() => {
      writing = null;
      if (pending.length > 0) kick();
    });
  };

  return {
    record(entry) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ entry, done: (error) => (error ? reject(error) : resolve()) });
        kick();
      });
    },
    async close() {
      await writing;
    },
  };
}
