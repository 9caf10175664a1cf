// Proofs for any tree size up to the one built, from stored perfect-subtree nodes (nodes.ts).
// RFC 9162's PATH and PROOF recursions, with each MTH they call for named as the perfect subtrees
// that make it up: a perfect range is one stored node; the one range per proof on the tree's
// right border is the few nodes of its decomposition, folded. The plan comes first, so a database
// store answers a whole proof with one query.
import { emptyRoot, hashChildren, SHA256, type HashSuite } from "./verify";
import { checkSize, nodeKey, rangeNodes, splitPoint, type NodeId } from "./shape";
import type { NodeReader } from "./nodes";

/** A proof before its hashes are read: each element as the nodes whose right fold is its hash. */
export type ProofPlan = NodeId[][];

function pathPlan(m: number, begin: number, end: number): ProofPlan {
  if (end - begin === 1) return [];
  const k = splitPoint(end - begin);
  return m < k
    ? [...pathPlan(m, begin, begin + k), rangeNodes(begin + k, end)]
    : [...pathPlan(m - k, begin + k, end), rangeNodes(begin, begin + k)];
}

/** The nodes of the inclusion proof of leaf `index` in the tree of `size` leaves. */
export function inclusionPlan(index: number, size: number): ProofPlan {
  checkSize(index, "leaf index");
  checkSize(size);
  if (index >= size) throw new RangeError(`leaf index ${index} is not within a tree of size ${size}`);
  return pathPlan(index, 0, size);
}

function subproofPlan(m: number, begin: number, end: number, complete: boolean): ProofPlan {
  if (m === end - begin) return complete ? [] : [rangeNodes(begin, end)];
  const k = splitPoint(end - begin);
  return m <= k
    ? [...subproofPlan(m, begin, begin + k, complete), rangeNodes(begin + k, end)]
    : [...subproofPlan(m - k, begin + k, end, false), rangeNodes(begin, begin + k)];
}

/** The nodes of the consistency proof from tree size `size1` to `size2`; none when they are equal or size1 is 0. */
export function consistencyPlan(size1: number, size2: number): ProofPlan {
  checkSize(size1);
  checkSize(size2);
  if (size2 < size1) throw new RangeError(`no consistency proof back from tree size ${size2} to ${size1}`);
  if (size1 === 0 || size1 === size2) return [];
  return subproofPlan(size1, 0, size2, true);
}

/** MTH of a border range from the hashes of its decomposition, left to right. */
function fold(hashes: readonly Buffer[], suite: HashSuite): Buffer {
  let hash = hashes[hashes.length - 1];
  for (let at = hashes.length - 2; at >= 0; at -= 1) hash = hashChildren(hashes[at], hash, suite);
  return hash;
}

/** Reads every node of a plan once, in one batch, and folds each element. */
export async function resolvePlan(
  plan: ProofPlan,
  nodes: NodeReader,
  suite: HashSuite = SHA256,
): Promise<Buffer[]> {
  const unique = new Map<string, NodeId>();
  for (const element of plan) for (const id of element) unique.set(nodeKey(id), id);
  const ids = [...unique.values()];
  const hashes = ids.length === 0 ? [] : await nodes.readNodes(ids);
  const byKey = new Map(ids.map((id, at) => [nodeKey(id), hashes[at]]));
  return plan.map((element) =>
    fold(
      element.map((id) => byKey.get(nodeKey(id)) as Buffer),
      suite,
    ),
  );
}

/** The inclusion proof of leaf `index` in the tree of `size` leaves, from stored nodes. */
export async function proveInclusion(
  nodes: NodeReader,
  index: number,
  size: number,
  suite: HashSuite = SHA256,
): Promise<Buffer[]> {
  return resolvePlan(inclusionPlan(index, size), nodes, suite);
}

/** The consistency proof from tree size `size1` to `size2`, from stored nodes. */
export async function proveConsistency(
  nodes: NodeReader,
  size1: number,
  size2: number,
  suite: HashSuite = SHA256,
): Promise<Buffer[]> {
  return resolvePlan(consistencyPlan(size1, size2), nodes, suite);
}

/** The root of the tree of the first `size` leaves, from its frontier nodes. */
export async function rootAt(nodes: NodeReader, size: number, suite: HashSuite = SHA256): Promise<Buffer> {
  checkSize(size);
  if (size === 0) return emptyRoot(suite);
  const [root] = await resolvePlan([rangeNodes(0, size)], nodes, suite);
  return root;
}
