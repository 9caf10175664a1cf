// RFC 9162 §2.1 as written: MTH, PATH and PROOF by recursion over leaf hashes held in memory.
// O(n) per call, so not what a log serves proofs from (prove.ts reads stored nodes instead); it is
// the statement the stored-node proofs are tested against, and it proves over a whole export file.
import { emptyRoot, hashChildren, SHA256, type HashSuite } from "./verify";
import { checkSize, splitPoint } from "./shape";

type Leaves = readonly Uint8Array[];

function mth(leaves: Leaves, begin: number, end: number, suite: HashSuite): Buffer {
  if (end - begin === 1) return Buffer.from(leaves[begin]);
  const k = splitPoint(end - begin);
  return hashChildren(mth(leaves, begin, begin + k, suite), mth(leaves, begin + k, end, suite), suite);
}

/** MTH(D[n]) of the leaves whose leaf hashes (HASH(0x00 || d)) are given, in order. */
export function treeHash(leafHashes: Leaves, suite: HashSuite = SHA256): Buffer {
  return leafHashes.length === 0 ? emptyRoot(suite) : mth(leafHashes, 0, leafHashes.length, suite);
}

function path(m: number, leaves: Leaves, begin: number, end: number, suite: HashSuite): Buffer[] {
  if (end - begin === 1) return [];
  const k = splitPoint(end - begin);
  return m < k
    ? [...path(m, leaves, begin, begin + k, suite), mth(leaves, begin + k, end, suite)]
    : [...path(m - k, leaves, begin + k, end, suite), mth(leaves, begin, begin + k, suite)];
}

/** PATH(index, D[n]): the inclusion proof of leaf `index` in the tree of all the given leaves. */
export function inclusionPath(index: number, leafHashes: Leaves, suite: HashSuite = SHA256): Buffer[] {
  checkSize(index, "leaf index");
  if (index >= leafHashes.length)
    throw new RangeError(`leaf index ${index} is not within a tree of size ${leafHashes.length}`);
  return path(index, leafHashes, 0, leafHashes.length, suite);
}

function subproof(
  m: number,
  leaves: Leaves,
  begin: number,
  end: number,
  complete: boolean,
  suite: HashSuite,
): Buffer[] {
  if (m === end - begin) return complete ? [] : [mth(leaves, begin, end, suite)];
  const k = splitPoint(end - begin);
  return m <= k
    ? [...subproof(m, leaves, begin, begin + k, complete, suite), mth(leaves, begin + k, end, suite)]
    : [...subproof(m - k, leaves, begin + k, end, false, suite), mth(leaves, begin, begin + k, suite)];
}

/**
 * PROOF(size1, D[n]): the consistency proof from the tree of the first `size1` leaves to the tree
 * of all of them. Empty when size1 is 0 or n, as the verifier expects.
 */
export function consistencyPath(size1: number, leafHashes: Leaves, suite: HashSuite = SHA256): Buffer[] {
  checkSize(size1, "tree size");
  if (size1 > leafHashes.length)
    throw new RangeError(`no consistency proof back from tree size ${leafHashes.length} to ${size1}`);
  if (size1 === 0 || size1 === leafHashes.length) return [];
  return subproof(size1, leafHashes, 0, leafHashes.length, true, suite);
}
