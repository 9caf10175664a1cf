import type { Db, Queryable } from "@onecert/subgraph-kit";
import { chainEntries, type AuditEntry, type AuditRecord } from "../record";
import { AUDIT_SCHEMA, ensurePartition, monthOf } from "./schema";
import { signCheckpoint, type Checkpoint, type PublicKeyInfo, type SigningKey } from "../signing";
import { treeSigner } from "../signing";
import { standardSuite } from "@onecert/subgraph-kit/suites";
import {
  hashSuiteOf,
  SHA256,
  treeSuiteByName,
  type HashSuite,
  type NodeReader,
  type SignedTreeHead,
} from "../merkle";
import {
  currentTreeNodes,
  headRowTreeHead,
  latestTreeHead,
  readTreeHeads,
  signTreeTo,
  sqlNodeStore,
  treeSuiteAt,
} from "./tree";
import {
  APPEND_SQL,
  appendParams,
  CHECKPOINT_COLUMNS,
  fromRow,
  HEAD_SQL,
  PAGE,
  SELECT_RECORD,
  toArchive,
  toCheckpoint,
  toHead,
  type ArchiveInfo,
  type ChainHead,
  type Row,
} from "./sql";

export { fromRow, type ArchiveInfo, type ChainHead } from "./sql";

/** Where audit records live: one hash chain that all replicas append to in one order. */
export interface AuditStore {
  /** Appends entries as consecutive records in one statement; signs a checkpoint when one is due. */
  append(entries: readonly AuditEntry[]): Promise<AuditRecord[]>;
  /** Creates the partitions of the months of `times` (e.g. this month and the next) ahead of need. */
  preparePartitions(times: readonly Date[]): Promise<void>;
  /**
   * Signs the head when records were added since the last checkpoint (null when nothing to sign),
   * and the Merkle tree head over every record up to it.
   */
  checkpoint(): Promise<Checkpoint | null>;
  /** Signed tree heads of a size in (`after`, `upTo`], smallest first. */
  treeHeads(after?: number, upTo?: number): Promise<SignedTreeHead[]>;
  /** The largest signed tree head; null before the first. */
  latestTreeHead(): Promise<SignedTreeHead | null>;
  /** The tree head the chain head row names; null before the first. */
  headRowTreeHead(): Promise<SignedTreeHead | null>;
  /** The stored nodes of the latest tree head's suite, from which its proofs are read. */
  readonly nodes: NodeReader;
  /** The stored nodes of the tree of hash suite `suite` ("sha256", "sm3"). */
  nodesOf(suite: string): NodeReader;
  /**
   * The tree a proof up to `treeSize` (default the latest head's) is read from: that of the first
   * signed head at or past it, as a log that switched suite has one tree per suite.
   */
  treeOf(treeSize?: number): Promise<{ suite: HashSuite; nodes: NodeReader }>;
  /** Which of `ids` are recorded already (a spooled record replayed twice is skipped). */
  knownIds(ids: readonly string[]): Promise<Set<string>>;
  head(): Promise<ChainHead>;
  /** Records with `seq` after `afterSeq` up to `toSeq`, in chain order, read page by page. */
  records(afterSeq: number, toSeq?: number): AsyncIterable<AuditRecord>;
  checkpoints(afterSeq?: number, toSeq?: number): Promise<Checkpoint[]>;
  publicKeys(): Promise<PublicKeyInfo[]>;
  archives(): Promise<ArchiveInfo[]>;
  /** The database, for the read-only queries of the auditor API. */
  readonly db: Db;
}

export interface AuditStoreOptions {
  /**
   * Signs checkpoints; without it the store is read-only (verification, export). A function is
   * asked at each signature, so a rotated key is taken up; every key is of one suite.
   */
  key?: SigningKey | (() => SigningKey);
  /** The process name recorded with its key. */
  replica: string;
  /** A checkpoint is signed in the transaction that takes the chain this many records past the last. Default 1000. */
  checkpointEvery?: number;
  /** The clock; default the system clock. Tests move it to fill old months. */
  now?: () => Date;
}

/** The audit store over the kit's `Db` (PostgreSQL or PGlite); migrate with `migrateAudit` first. */
export function createAuditStore(db: Db, options: AuditStoreOptions): AuditStore {
  const now = options.now ?? (() => new Date());
  const every = options.checkpointEvery ?? 1000;
  // Records and trees are made in the signing key's suite: the key is what CRYPTO_SUITE chose.
  const given = options.key;
  const signingKey = (): SigningKey => {
    if (!given) throw new Error("this audit store was opened read-only (no signing key)");
    return typeof given === "function" ? given() : given;
  };
  const suite = given ? signingKey().suite : standardSuite;
  const partitions = new Set<string>();
  // The head as this writer last left it: the next batch chains to it without reading it.
  let seen: ChainHead | null = null;

  async function lockHead(tx: Queryable): Promise<ChainHead> {
    const [row] = await tx.query<Row>(`${HEAD_SQL} FOR UPDATE`);
    if (!row) throw new Error("audit.chain has no head row");
    return toHead(row);
  }

  async function writeCheckpoint(
    tx: Queryable,
    key: SigningKey,
    seq: number,
    hash: string,
    at: Date,
  ): Promise<Checkpoint> {
    const signed = signCheckpoint(key, seq, hash, at);
    await tx.query(
      `INSERT INTO ${AUDIT_SCHEMA}.checkpoints (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (seq) DO NOTHING`,
      [
        signed.seq,
        signed.hash,
        signed.count,
        signed.at,
        signed.keyId,
        signed.signature,
        signed.suite ?? null,
        signed.alg ?? null,
      ],
    );
    return signed;
  }

  // Each key is listed once, before the first record or checkpoint it could sign.
  const registered = new Set<string>();
  async function registerKey(): Promise<SigningKey> {
    const key = signingKey();
    if (registered.has(key.keyId)) return key;
    await db.query(
      `INSERT INTO ${AUDIT_SCHEMA}.signing_keys (key_id, public_key, first_used_at, replica)
       VALUES ($1, $2, $3, $4) ON CONFLICT (key_id) DO NOTHING`,
      [key.keyId, key.publicKey, now(), options.replica],
    );
    registered.add(key.keyId);
    return key;
  }

  return {
    db,
    async append(entries) {
      if (entries.length === 0) return [];
      // The key is taken once: one rotating meanwhile signs from the next batch on.
      const key = await registerKey();
      // Chain to the head this writer last saw and append in one statement; when another
      // replica moved the head meanwhile (or a new month needs its partition), do it again under
      // the head's row lock with the head as it is.
      const attempt = async (q: Queryable, head: ChainHead) => {
        const records = chainEntries(head, entries, now(), suite);
        const last = records[records.length - 1];
        const due = last.seq - head.checkpointSeq >= every;
        const checkpoint = due ? signCheckpoint(key, last.seq, last.hash, new Date(last.loggedAt)) : null;
        const checkpointSeq = checkpoint?.seq ?? head.checkpointSeq;
        const [result] = await q.query<{ moved: number }>(
          APPEND_SQL,
          appendParams(records, checkpoint, checkpointSeq),
          // Prepared once per connection: parsing and planning this statement on a partitioned
          // table cost the database about as much as the insert itself.
          { name: "onecert_audit_append" },
        );
        if (Number(result?.moved) !== 1) return null;
        seen = { seq: last.seq, hash: last.hash, loggedAt: new Date(last.loggedAt), checkpointSeq };
        return records;
      };
      const known = seen;
      if (known && partitions.has(monthOf(new Date(Math.max(now().getTime(), known.loggedAt.getTime()))))) {
        const records = await attempt(db, known);
        if (records) return records;
      }
      return db.transaction(async (tx) => {
        const head = await lockHead(tx);
        const month = monthOf(new Date(Math.max(now().getTime(), head.loggedAt.getTime())));
        if (!partitions.has(month)) {
          await ensurePartition(tx, month);
          partitions.add(month);
        }
        const records = await attempt(tx, head);
        if (!records) throw new Error("the audit chain head moved while locked");
        return records;
      });
    },
    async preparePartitions(times) {
      await db.transaction(async (tx) => {
        await lockHead(tx);
        for (const time of times) {
          await ensurePartition(tx, monthOf(time));
          partitions.add(monthOf(time));
        }
      });
    },
    async checkpoint() {
      const key = await registerKey();
      return db.transaction(async (tx) => {
        const head = await lockHead(tx);
        const at = new Date(Math.max(now().getTime(), head.loggedAt.getTime()));
        let signed: Checkpoint | null = null;
        if (head.seq > head.checkpointSeq) {
          signed = await writeCheckpoint(tx, key, head.seq, head.hash, at);
          await tx.query(`UPDATE ${AUDIT_SCHEMA}.chain SET checkpoint_seq = $1 WHERE id = 1`, [head.seq]);
          if (seen?.seq === head.seq) seen = { ...seen, checkpointSeq: head.seq };
        }
        await signTreeTo(tx, head.seq, treeSigner(key), at, hashSuiteOf(suite));
        return signed;
      });
    },
    async knownIds(ids) {
      if (ids.length === 0) return new Set();
      const rows = await db.query<{ id: string }>(
        `SELECT id FROM ${AUDIT_SCHEMA}.records WHERE id = ANY($1::text[])`,
        [ids],
      );
      return new Set(rows.map((row) => row.id));
    },
    async head() {
      const [row] = await db.query<Row>(HEAD_SQL);
      if (!row) throw new Error("audit.chain has no head row");
      return toHead(row);
    },
    async *records(afterSeq, toSeq = Number.MAX_SAFE_INTEGER) {
      // Keyset over (seq, id): a record inserted with a duplicate sequence still shows up once.
      let cursor: [number, string] = [afterSeq, ""];
      for (;;) {
        const rows = await db.query<Row>(
          `SELECT ${SELECT_RECORD} FROM ${AUDIT_SCHEMA}.records
           WHERE (seq, id) > ($1::bigint, $2::text) AND seq <= $3::bigint ORDER BY seq, id LIMIT ${PAGE}`,
          [cursor[0], cursor[1], toSeq],
        );
        for (const row of rows) yield fromRow(row);
        if (rows.length < PAGE) return;
        const last = rows[rows.length - 1];
        cursor = [Number(last.seq), String(last.id)];
      }
    },
    async checkpoints(afterSeq = 0, toSeq = Number.MAX_SAFE_INTEGER) {
      const rows = await db.query<Row>(
        `SELECT ${CHECKPOINT_COLUMNS} FROM ${AUDIT_SCHEMA}.checkpoints
         WHERE seq > $1 AND seq <= $2 ORDER BY seq`,
        [afterSeq, toSeq],
      );
      return rows.map(toCheckpoint);
    },
    async publicKeys() {
      const rows = await db.query<{ key_id: string; public_key: string }>(
        `SELECT key_id, public_key FROM ${AUDIT_SCHEMA}.signing_keys ORDER BY first_used_at, key_id`,
      );
      return rows.map((row) => ({ keyId: row.key_id, publicKey: row.public_key }));
    },
    treeHeads: (after, upTo) => readTreeHeads(db, after, upTo),
    latestTreeHead: () => latestTreeHead(db),
    headRowTreeHead: () => headRowTreeHead(db),
    nodes: currentTreeNodes(db),
    nodesOf: (treeSuite) => sqlNodeStore(db, treeSuite),
    async treeOf(treeSize) {
      const name = (await treeSuiteAt(db, treeSize)) ?? SHA256.name;
      const found = treeSuiteByName(name);
      if (!found) throw new Error(`the log's tree head names an unknown hash suite ${name}`);
      return { suite: found.hash, nodes: sqlNodeStore(db, name) };
    },
    async archives() {
      const rows = await db.query<Row>(
        `SELECT month, first_seq, last_seq, last_hash, records, file, sha256 FROM ${AUDIT_SCHEMA}.archives ORDER BY first_seq`,
      );
      return rows.map(toArchive);
    },
  };
}
