// The db layer alone: this module also runs in the audit writer thread, which loads no GraphQL.
import { migrate, type Db, type Migration, type Queryable } from "@onecert/subgraph-kit/db";
import { GENESIS_HASH } from "../record";
import { TREE_NODES_GUARD, treeNodesMigration } from "../merkle/nodes";

/** Schema of the audit tables; its own migration list, versions independent of other features. */
export const AUDIT_SCHEMA = "audit";

/**
 * The records table is partitioned by the month the chain took the record (`logged_at`, which
 * never decreases along the chain), so a month is one contiguous run of sequence numbers and
 * retention drops whole partitions. `audit.chain` holds the head that every writer locks.
 */
export const auditMigrations: Migration[] = [
  {
    version: 1,
    description: "audit records (partitioned by month), chain head, checkpoints, keys, archives",
    sql: `
      CREATE TABLE audit.records (
        v smallint NOT NULL,
        seq bigint NOT NULL,
        logged_at timestamptz NOT NULL,
        id text NOT NULL,
        at timestamptz NOT NULL,
        request_id text NOT NULL,
        replica text NOT NULL,
        kind text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        client_id text,
        client_name text,
        role text,
        department text,
        credential_id text,
        operator_id text,
        matter_code text,
        case_number text,
        subjects text[] NOT NULL,
        operation_name text,
        operation_hash text,
        fields text[] NOT NULL,
        subgraphs text[] NOT NULL,
        certificates text[] NOT NULL,
        cache_hits integer NOT NULL,
        cache_misses integer NOT NULL,
        outcome text NOT NULL,
        error_code text,
        status integer NOT NULL,
        latency_us bigint NOT NULL,
        response_digest text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (seq, logged_at)
      ) PARTITION BY RANGE (logged_at);
      CREATE INDEX records_subjects_idx ON audit.records USING gin (subjects);
      CREATE INDEX records_at_idx ON audit.records (at);
      CREATE INDEX records_client_idx ON audit.records (client_id, at);
      CREATE INDEX records_operator_idx ON audit.records (operator_id, at);
      CREATE INDEX records_matter_idx ON audit.records (matter_code, at);
      CREATE INDEX records_id_idx ON audit.records (id);
      CREATE TABLE audit.chain (
        id smallint PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL,
        logged_at timestamptz NOT NULL,
        checkpoint_seq bigint NOT NULL,
        checkpoint_at timestamptz NOT NULL
      );
      INSERT INTO audit.chain VALUES (1, 0, '${GENESIS_HASH}', 'epoch', 0, 'epoch');
      CREATE TABLE audit.checkpoints (
        seq bigint PRIMARY KEY,
        hash text NOT NULL,
        count bigint NOT NULL,
        at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL
      );
      CREATE TABLE audit.signing_keys (
        key_id text PRIMARY KEY,
        public_key text NOT NULL,
        first_used_at timestamptz NOT NULL,
        replica text NOT NULL
      );
      CREATE TABLE audit.archives (
        month text PRIMARY KEY,
        first_seq bigint NOT NULL,
        last_seq bigint NOT NULL,
        last_hash text NOT NULL,
        records bigint NOT NULL,
        file text NOT NULL,
        sha256 text NOT NULL,
        archived_at timestamptz NOT NULL,
        replica text NOT NULL
      )
    `,
  },
  {
    version: 2,
    description: "record layout 2: the signed requests sent to subgraphs, the fields sent them, the trace id",
    sql: `
      ALTER TABLE audit.records ADD COLUMN hops text[] NOT NULL DEFAULT '{}';
      ALTER TABLE audit.records ADD COLUMN sent text[] NOT NULL DEFAULT '{}';
      ALTER TABLE audit.records ADD COLUMN trace_id text;
      CREATE INDEX records_hops_idx ON audit.records USING gin (hops)
    `,
  },
  treeNodesMigration,
  {
    version: 4,
    description: "signed Merkle tree heads, the latest also on the chain head row",
    sql: `
      CREATE TABLE audit.tree_heads (
        tree_size bigint PRIMARY KEY,
        root_hash text NOT NULL,
        at timestamptz NOT NULL,
        suite text NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL
      );
      ALTER TABLE audit.chain ADD COLUMN tree_size bigint NOT NULL DEFAULT 0;
      ALTER TABLE audit.chain ADD COLUMN tree_root text;
      ALTER TABLE audit.chain ADD COLUMN tree_at text;
      ALTER TABLE audit.chain ADD COLUMN tree_suite text;
      ALTER TABLE audit.chain ADD COLUMN tree_key_id text;
      ALTER TABLE audit.chain ADD COLUMN tree_signature text
    `,
  },
  {
    version: 5,
    description: "records by request id: a refusal written after a record that timed out supersedes it",
    sql: `CREATE INDEX records_request_idx ON audit.records (request_id)`,
  },
  {
    version: 6,
    description:
      "selectable crypto suite: the suite of each record, checkpoint and tree head, a tree per hash suite",
    // Rows from before keep NULL (records, checkpoints: standard; heads: EdDSA), which is what
    // they were made in. A log that switches suite builds the new suite's tree beside the old.
    sql: `
      ALTER TABLE audit.records ADD COLUMN suite text;
      ALTER TABLE audit.checkpoints ADD COLUMN suite text;
      ALTER TABLE audit.checkpoints ADD COLUMN alg text;
      ALTER TABLE audit.tree_heads ADD COLUMN alg text;
      ALTER TABLE audit.chain ADD COLUMN tree_alg text;
      ALTER TABLE audit.tree_nodes ADD COLUMN suite text NOT NULL DEFAULT 'sha256';
      ALTER TABLE audit.tree_nodes DROP CONSTRAINT tree_nodes_pkey;
      ALTER TABLE audit.tree_nodes ADD PRIMARY KEY (suite, level, idx)
    `,
  },
];

// Function bodies hold semicolons, which the migration runner splits on: sent one statement at a time.
const GUARD = [
  `CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'audit % is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `CREATE OR REPLACE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON audit.records
   FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`,
  `CREATE OR REPLACE TRIGGER records_no_truncate BEFORE TRUNCATE ON audit.records
   FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`,
  `CREATE OR REPLACE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON audit.checkpoints
   FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`,
  ...TREE_NODES_GUARD,
  `CREATE OR REPLACE TRIGGER tree_heads_append_only BEFORE UPDATE OR DELETE ON audit.tree_heads
   FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`,
  `CREATE OR REPLACE TRIGGER tree_heads_no_truncate BEFORE TRUNCATE ON audit.tree_heads
   FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`,
];

/**
 * Creates or updates the audit tables, then the triggers that refuse UPDATE, DELETE and TRUNCATE
 * of records and checkpoints (only dropping an archived partition removes records).
 */
export async function migrateAudit(db: Db): Promise<void> {
  await migrate(db, AUDIT_SCHEMA, auditMigrations);
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`onecert-migrate:${AUDIT_SCHEMA}`]);
    for (const statement of GUARD) await tx.query(statement);
  });
}

/** "YYYY-MM" of a time, in UTC. */
export const monthOf = (time: Date | string): string => new Date(time).toISOString().slice(0, 7);

/** The first instant of a "YYYY-MM" month and of the month after it. */
export function monthRange(month: string): { from: Date; to: Date } {
  const [year, index] = month.split("-").map(Number) as [number, number];
  return { from: new Date(Date.UTC(year, index - 1, 1)), to: new Date(Date.UTC(year, index, 1)) };
}

/** The partition table of a month: audit.records_YYYYMM. */
export const partitionName = (month: string): string => `records_${month.replace("-", "")}`;

/**
 * Creates the partition of `month` if missing. Call it holding the chain lock (or the
 * migration lock): two sessions creating the same partition at once collide in the catalogue.
 */
export async function ensurePartition(q: Queryable, month: string): Promise<void> {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`invalid month ${month}`);
  const { from, to } = monthRange(month);
  await q.query(
    `CREATE TABLE IF NOT EXISTS ${AUDIT_SCHEMA}.${partitionName(month)} PARTITION OF ${AUDIT_SCHEMA}.records
     FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
  );
}

/** The months that have a partition, oldest first. */
export async function listPartitions(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname = $1 AND p.relname = 'records'`,
    [AUDIT_SCHEMA],
  );
  return rows
    .map((row) => /^records_(\d{4})(\d{2})$/.exec(row.name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]}-${match[2]}`)
    .sort();
}
