import type { Queryable } from "@onecert/subgraph-kit/db";
import {
  MissingNodeError,
  NodeConflictError,
  nodeKey,
  recordLeafHash,
  resumeBuilder,
  signTreeHead,
  treeHeadOf,
  SHA256,
  type HashSuite,
  type NodeId,
  type NodeReader,
  type NodeStore,
  type SignedTreeHead,
  type TreeHeadSigner,
  type TreeNode,
} from "../merkle";
import { AUDIT_SCHEMA } from "./schema";

// The Merkle tree over the records as the database keeps it: perfect-subtree nodes in
// audit.tree_nodes (append-only), signed tree heads in audit.tree_heads (append-only), the latest
// also on the chain head row, so a head row set back without the key is seen at once. Each hash
// suite has a tree of its own over all the records: a log that switched suite keeps the old
// tree (its heads still prove) and builds the new one from record 1 (archived records from their
// files, see archived-tree.ts).

/** The nodes of the `suite` tree in audit.tree_nodes, through `q` (a transaction, or the pool). */
export function sqlNodeStore(q: Queryable, suite = SHA256.name): NodeStore {
  const read = async (ids: readonly NodeId[]): Promise<Map<string, Buffer>> => {
    const rows = await q.query<{ level: number; idx: string; hash: string }>(
      `SELECT n.level, n.idx, encode(n.hash, 'hex') AS hash FROM ${AUDIT_SCHEMA}.tree_nodes n
       JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx
       WHERE n.suite = $3`,
      [ids.map((id) => id.level), ids.map((id) => id.index), suite],
    );
    return new Map(
      rows.map((row) => [
        nodeKey({ level: Number(row.level), index: Number(row.idx) }),
        Buffer.from(row.hash, "hex"),
      ]),
    );
  };
  return {
    async readNodes(ids) {
      const found = await read(ids);
      return ids.map((id) => {
        const hash = found.get(nodeKey(id));
        if (!hash) throw new MissingNodeError(id);
        return hash;
      });
    },
    async writeNodes(nodes) {
      if (nodes.length === 0) return;
      const inserted = await q.query<{ level: number; idx: string }>(
        `INSERT INTO ${AUDIT_SCHEMA}.tree_nodes (suite, level, idx, hash)
         SELECT $4, level, idx, decode(hash, 'hex') FROM unnest($1::smallint[], $2::bigint[], $3::text[]) AS n(level, idx, hash)
         ON CONFLICT (suite, level, idx) DO NOTHING RETURNING level, idx`,
        [
          nodes.map((n) => n.level),
          nodes.map((n) => n.index),
          nodes.map((n) => Buffer.from(n.hash).toString("hex")),
          suite,
        ],
      );
      if (inserted.length === nodes.length) return;
      // Some were stored already (a build replayed after a crash): they must be the same nodes.
      const fresh = new Set(
        inserted.map((row) => nodeKey({ level: Number(row.level), index: Number(row.idx) })),
      );
      const existing = nodes.filter((node) => !fresh.has(nodeKey(node)));
      const stored = await read(existing);
      for (const node of existing)
        if (!stored.get(nodeKey(node))?.equals(Buffer.from(node.hash))) throw new NodeConflictError(node);
    },
  };
}

/** The hash suite of the first signed head of `treeSize` or more (the latest when not given), or null. */
export async function treeSuiteAt(q: Queryable, treeSize?: number): Promise<string | null> {
  const [row] = await q.query<{ suite: string }>(
    treeSize === undefined
      ? `SELECT suite FROM ${AUDIT_SCHEMA}.tree_heads ORDER BY tree_size DESC LIMIT 1`
      : `SELECT suite FROM ${AUDIT_SCHEMA}.tree_heads WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1`,
    treeSize === undefined ? [] : [treeSize],
  );
  return row?.suite ?? null;
}

/**
 * The nodes of the tree of the latest signed head's suite (sha256 before any): the tree whose
 * heads the log serves now, and so the one proofs for them are read from.
 */
export function currentTreeNodes(q: Queryable): NodeReader {
  return {
    async readNodes(ids) {
      return sqlNodeStore(q, (await treeSuiteAt(q)) ?? SHA256.name).readNodes(ids);
    },
  };
}

interface HeadRow {
  tree_size: string;
  root_hash: string;
  at: Date | string;
  suite: string;
  key_id: string;
  alg: string | null;
  signature: string;
}

const toTreeHead = (row: HeadRow): SignedTreeHead => ({
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash,
  timestamp: new Date(row.at).toISOString(),
  suite: row.suite,
  keyId: row.key_id,
  // Absent, not null, on a version-1 head: its signed bytes have no algorithm.
  ...(row.alg == null ? {} : { alg: row.alg }),
  signature: row.signature,
});

const HEAD_COLUMNS = "tree_size, root_hash, at, suite, key_id, signature, alg";

/** Signed tree heads with a size in (`after`, `upTo`], smallest first. */
export async function readTreeHeads(
  q: Queryable,
  after = 0,
  upTo = Number.MAX_SAFE_INTEGER,
): Promise<SignedTreeHead[]> {
  const rows = await q.query<HeadRow>(
    `SELECT ${HEAD_COLUMNS} FROM ${AUDIT_SCHEMA}.tree_heads WHERE tree_size > $1 AND tree_size <= $2 ORDER BY tree_size`,
    [after, upTo],
  );
  return rows.map(toTreeHead);
}

/** The largest signed tree head (of `suite` when given), or null before the first. */
export async function latestTreeHead(q: Queryable, suite?: string): Promise<SignedTreeHead | null> {
  const [row] = await q.query<HeadRow>(
    `SELECT ${HEAD_COLUMNS} FROM ${AUDIT_SCHEMA}.tree_heads WHERE $1::text IS NULL OR suite = $1
     ORDER BY tree_size DESC LIMIT 1`,
    [suite ?? null],
  );
  return row ? toTreeHead(row) : null;
}

/** The tree head the chain head row carries (what the last signing left there), or null. */
export async function headRowTreeHead(q: Queryable): Promise<SignedTreeHead | null> {
  const [row] = await q.query<HeadRow & { tree_size: string | null }>(
    `SELECT tree_size, tree_root AS root_hash, tree_at AS at, tree_suite AS suite, tree_key_id AS key_id,
            tree_signature AS signature, tree_alg AS alg FROM ${AUDIT_SCHEMA}.chain WHERE id = 1`,
  );
  return row && row.signature ? toTreeHead(row) : null;
}

const PAGE = 2000;

/** The last record retention dropped (0 when none): records up to it are no longer in the database. */
export async function lastArchivedSeq(q: Queryable): Promise<number> {
  const [row] = await q.query<{ last: string | null }>(
    `SELECT max(last_seq) AS last FROM ${AUDIT_SCHEMA}.archives`,
  );
  return Number(row?.last ?? 0);
}

/**
 * Extends the stored tree of `suite` to the records up to `upTo` and signs its head. Call it
 * holding the chain head's row lock: one builder at a time. Refuses to sign over records that do
 * not follow each other (a gap or a duplicate sequence), which only a change outside the gateway
 * makes. The first head of a suite the log switched to is of a tree built from record 1: over
 * archived records too, once buildArchivedTree has built that part.
 */
export async function signTreeTo(
  tx: Queryable,
  upTo: number,
  signer: TreeHeadSigner,
  at: Date,
  suite: HashSuite = SHA256,
): Promise<SignedTreeHead | null> {
  if (upTo <= ((await latestTreeHead(tx))?.treeSize ?? 0)) return null;
  let size = (await latestTreeHead(tx, suite.name))?.treeSize ?? 0;
  const nodes = sqlNodeStore(tx, suite.name);
  // The first tree of a suite switched to after retention starts from the nodes over the archived
  // records that buildArchivedTree wrote from the archive files, outside this lock; until they
  // are there no head is signed (the chain's checkpoint still is), rather than failing the writer.
  if (size === 0) size = await lastArchivedSeq(tx);
  let builder;
  try {
    builder = await resumeBuilder(nodes, size, suite);
  } catch (error) {
    if (error instanceof MissingNodeError) return null;
    throw error;
  }
  let expected = size + 1;
  while (expected <= upTo) {
    const rows = await tx.query<{ seq: string; hash: string }>(
      `SELECT seq, hash FROM ${AUDIT_SCHEMA}.records WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT ${PAGE}`,
      [expected, upTo],
    );
    if (rows.length === 0)
      throw new Error(`cannot sign the ${suite.name} tree: record ${expected} is missing (archived?)`);
    const completed: TreeNode[] = [];
    for (const row of rows) {
      if (Number(row.seq) !== expected)
        throw new Error(`cannot sign the tree: record ${expected} is missing or repeated`);
      completed.push(...builder.append(recordLeafHash(row.hash, suite)));
      expected += 1;
    }
    await nodes.writeNodes(completed);
  }
  const signed = await signTreeHead(treeHeadOf(upTo, builder.root(), at, suite), signer);
  const values = [
    signed.treeSize,
    signed.rootHash,
    signed.timestamp,
    signed.suite,
    signed.keyId,
    signed.signature,
    signed.alg ?? null,
  ];
  await tx.query(
    `INSERT INTO ${AUDIT_SCHEMA}.tree_heads (${HEAD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    values,
  );
  await tx.query(
    `UPDATE ${AUDIT_SCHEMA}.chain SET tree_size = $1, tree_root = $2, tree_at = $3, tree_suite = $4,
       tree_key_id = $5, tree_signature = $6, tree_alg = $7 WHERE id = 1`,
    values,
  );
  return signed;
}
