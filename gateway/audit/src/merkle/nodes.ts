import type { Migration } from "@onecert/subgraph-kit/db";
import { nodeKey, type NodeId, type TreeNode } from "./shape";

/**
 * Where the perfect subtree hashes live. The scheme: every perfect subtree, leaves included, is
 * stored once when its last leaf is appended, addressed by (level, index); that is 2n - popcount(n)
 * rows for n leaves, about two per record. Nodes never change, so a proof for any past tree size
 * is assembled from O(log n) of them (one batched read) and O(log n) hashes, and the proofs do not
 * need the records: retention may archive a month's records and their nodes still prove the rest.
 */
export interface NodeReader {
  /** The hashes of `ids`, in their order; throws MissingNodeError when one is not stored. */
  readNodes(ids: readonly NodeId[]): Promise<Buffer[]>;
}

export interface NodeWriter {
  /**
   * Stores nodes as the builder completes them. Writing a node again with the same hash is a no-op
   * (a batch replayed after a crash); with a different hash it is refused, as the tree is
   * append-only and such a write means the log was forked.
   */
  writeNodes(nodes: readonly TreeNode[]): Promise<void>;
}

export type NodeStore = NodeReader & NodeWriter;

/** A node a proof needs is not in the store: the tree was not built that far, or rows were removed. */
export class MissingNodeError extends Error {
  override name = "MissingNodeError";
  constructor(readonly id: NodeId) {
    super(`the tree node at level ${id.level}, index ${id.index} is not stored`);
  }
}

/** A write that would change a stored node. */
export class NodeConflictError extends Error {
  override name = "NodeConflictError";
  constructor(readonly id: NodeId) {
    super(`the tree node at level ${id.level}, index ${id.index} is stored with a different hash`);
  }
}

/** The node store in memory, for tests and for proving over a file's records. */
export class MemoryNodeStore implements NodeStore {
  readonly #nodes = new Map<string, Buffer>();
  /** How many nodes the reads asked for, so tests can hold proofs to O(log n) reads. */
  reads = 0;

  get size(): number {
    return this.#nodes.size;
  }

  async readNodes(ids: readonly NodeId[]): Promise<Buffer[]> {
    this.reads += ids.length;
    return ids.map((id) => {
      const hash = this.#nodes.get(nodeKey(id));
      if (!hash) throw new MissingNodeError(id);
      return Buffer.from(hash);
    });
  }

  async writeNodes(nodes: readonly TreeNode[]): Promise<void> {
    for (const node of nodes) {
      const stored = this.#nodes.get(nodeKey(node));
      if (stored && !stored.equals(node.hash)) throw new NodeConflictError(node);
    }
    for (const node of nodes) this.#nodes.set(nodeKey(node), Buffer.from(node.hash));
  }
}

/**
 * The table of the database's node store (store/tree.ts), audit migration 3. The primary key is
 * the only index a proof needs.
 */
export const treeNodesMigration: Migration = {
  version: 3,
  description: "Merkle tree nodes: the hash of every perfect subtree of the records, by (level, index)",
  sql: `
    CREATE TABLE audit.tree_nodes (
      level smallint NOT NULL CHECK (level BETWEEN 0 AND 53),
      idx bigint NOT NULL CHECK (idx >= 0),
      hash bytea NOT NULL,
      PRIMARY KEY (level, idx)
    )
  `,
};

/**
 * The tree nodes are append-only like the records: statements of migrateAudit's guard list, which
 * creates audit.refuse_change() after the migrations have run.
 */
export const TREE_NODES_GUARD: readonly string[] = [
  `CREATE OR REPLACE TRIGGER tree_nodes_append_only BEFORE UPDATE OR DELETE ON audit.tree_nodes
   FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`,
  `CREATE OR REPLACE TRIGGER tree_nodes_no_truncate BEFORE TRUNCATE ON audit.tree_nodes
   FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`,
];
