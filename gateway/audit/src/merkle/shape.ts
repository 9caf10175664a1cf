// The shape of the tree, without hashes: where RFC 9162 splits a range of leaves, and which
// perfect subtrees make up a range. Every other file reasons about positions through these.

/**
 * A perfect subtree: the 2^level leaves from index * 2^level. Level 0 is a leaf. Such a node never
 * changes once its last leaf is appended, which is what lets it be stored and read back for a
 * proof at any later tree size.
 */
export interface NodeId {
  level: number;
  index: number;
}

/** A perfect subtree with its hash. */
export interface TreeNode extends NodeId {
  hash: Buffer;
}

/** The highest level a node can have: tree sizes are exact JavaScript numbers, below 2^53. */
export const MAX_LEVEL = 53;

/** A text key for a node, for maps and sets. */
export const nodeKey = (id: NodeId): string => `${id.level}:${id.index}`;

/** Throws unless `size` can be a tree size: a whole number from 0 below 2^53. */
export function checkSize(size: number, what = "tree size"): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`${what} ${size} is not a whole number`);
}

/** The largest power of two smaller than `n` (n >= 2): where MTH, PATH and PROOF split D[n]. */
export function splitPoint(n: number): number {
  if (!(n >= 2)) throw new RangeError(`only a range of 2 or more leaves is split, not ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees covering leaves [begin, end), left to right, each as large as its position
 * allows. For a range the RFC recursion meets ([begin, end) with begin a multiple of a power of
 * two at least end - begin, such as any prefix [0, n)) their sizes decrease, and folding their
 * hashes from the right gives the range's MTH. For [0, n) they are the frontier of the tree.
 */
export function rangeNodes(begin: number, end: number): NodeId[] {
  checkSize(begin, "range start");
  checkSize(end, "range end");
  if (begin > end) throw new RangeError(`range [${begin}, ${end}) ends before it starts`);
  const nodes: NodeId[] = [];
  let position = begin;
  while (position < end) {
    let level = 0;
    let width = 1;
    while (position % (width * 2) === 0 && position + width * 2 <= end) {
      level += 1;
      width *= 2;
    }
    nodes.push({ level, index: position / width });
    position += width;
  }
  return nodes;
}

/** Leaves a node covers: [first, first + width). */
export const nodeSpan = (id: NodeId): { first: number; width: number } => {
  const width = 2 ** id.level;
  return { first: id.index * width, width };
};
