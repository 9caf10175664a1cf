import { emptyRoot, hashChildren, hashLeaf, SHA256, type HashSuite } from "./verify";
import { MAX_LEVEL, rangeNodes, type TreeNode } from "./shape";

/**
 * Appends leaves and knows the root at the current size, holding only the frontier: the roots of
 * the perfect subtrees that make up the tree, one per set bit of the size (at most 53), so a
 * writer can keep the tree head of millions of records in a few kilobytes. Appending costs one
 * hash on average; the root, one hash per frontier node.
 */
export class TreeBuilder {
  #size = 0;
  // Left to right, levels strictly decreasing: the binary digits of #size.
  #frontier: TreeNode[] = [];

  constructor(readonly suite: HashSuite = SHA256) {}

  /**
   * A builder that continues a tree from its frontier (rangeNodes(0, size), read back from the node
   * store after a restart), so the writer need not rehash the log.
   */
  static resume(frontier: readonly TreeNode[], suite: HashSuite = SHA256): TreeBuilder {
    const size = frontier.reduce((total, node) => total + 2 ** node.level, 0);
    const expected = rangeNodes(0, size);
    const fits =
      expected.length === frontier.length &&
      expected.every(
        (id, at) =>
          id.level === frontier[at].level &&
          id.index === frontier[at].index &&
          frontier[at].hash.length === suite.size,
      );
    if (!fits) throw new RangeError(`the nodes given are not the frontier of a tree of size ${size}`);
    const builder = new TreeBuilder(suite);
    builder.#size = size;
    builder.#frontier = frontier.map((node) => ({ ...node, hash: Buffer.from(node.hash) }));
    return builder;
  }

  /** Leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends a leaf by its leaf hash (HASH(0x00 || d)) and returns the nodes it completes: the leaf
   * itself (level 0) and each perfect subtree it closes, lowest first. A writer stores them with
   * the records in the same transaction, and every later proof reads them back.
   */
  append(leafHash: Uint8Array): TreeNode[] {
    if (leafHash.length !== this.suite.size)
      throw new RangeError(`a leaf hash has ${this.suite.size} bytes, not ${leafHash.length}`);
    if (this.#size >= 2 ** MAX_LEVEL - 1) throw new RangeError("the tree is full");
    const completed: TreeNode[] = [{ level: 0, index: this.#size, hash: Buffer.from(leafHash) }];
    this.#frontier.push(completed[0]);
    this.#size += 1;
    for (let top = this.#frontier.length - 1; top > 0; top -= 1) {
      const right = this.#frontier[top];
      const left = this.#frontier[top - 1];
      if (left.level !== right.level) break;
      const parent = {
        level: left.level + 1,
        index: left.index / 2,
        hash: hashChildren(left.hash, right.hash, this.suite),
      };
      this.#frontier.splice(top - 1, 2, parent);
      completed.push(parent);
    }
    return completed;
  }

  /** Appends a leaf by its data, hashing it as RFC 9162 does; returns the nodes it completes. */
  appendData(data: Uint8Array): TreeNode[] {
    return this.append(hashLeaf(data, this.suite));
  }

  /** MTH of the leaves appended so far. */
  root(): Buffer {
    if (this.#frontier.length === 0) return emptyRoot(this.suite);
    let hash = this.#frontier[this.#frontier.length - 1].hash;
    for (let at = this.#frontier.length - 2; at >= 0; at -= 1)
      hash = hashChildren(this.#frontier[at].hash, hash, this.suite);
    return hash;
  }

  /** The frontier: what resume() takes, and all the state there is. */
  frontier(): TreeNode[] {
    return this.#frontier.map((node) => ({ ...node, hash: Buffer.from(node.hash) }));
  }
}
