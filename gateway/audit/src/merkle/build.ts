// Building the stored tree: the nodes a run of leaves completes, written in batches, and the
// builder picked up again from the store after a restart.
import { SHA256, type HashSuite } from "./verify";
import { TreeBuilder } from "./builder";
import type { LeafSource } from "./leaves";
import type { NodeReader, NodeWriter } from "./nodes";
import { checkSize, rangeNodes, type TreeNode } from "./shape";

/** How many completed nodes buildNodes writes at a time, unless told: about 64 records' worth. */
export const BUILD_BATCH = 128;

/**
 * Stores the tree over a stream of leaf hashes (the tree of an audit trail that predates it, or a
 * test fixture), continuing `builder` when given one; returns the builder at the end.
 */
export async function buildNodes(
  leafHashes: LeafSource,
  nodes: NodeWriter,
  options: { builder?: TreeBuilder; batch?: number; suite?: HashSuite } = {},
): Promise<TreeBuilder> {
  const builder = options.builder ?? new TreeBuilder(options.suite ?? SHA256);
  const batch = options.batch ?? BUILD_BATCH;
  let pending: TreeNode[] = [];
  for await (const leafHash of leafHashes) {
    pending.push(...builder.append(leafHash));
    if (pending.length >= batch) {
      await nodes.writeNodes(pending);
      pending = [];
    }
  }
  if (pending.length > 0) await nodes.writeNodes(pending);
  return builder;
}

/** The builder of the stored tree of `size` leaves, from its frontier: O(log n) nodes, no rehashing. */
export async function resumeBuilder(
  nodes: NodeReader,
  size: number,
  suite: HashSuite = SHA256,
): Promise<TreeBuilder> {
  checkSize(size);
  const ids = rangeNodes(0, size);
  const hashes = ids.length === 0 ? [] : await nodes.readNodes(ids);
  return TreeBuilder.resume(
    ids.map((id, at) => ({ ...id, hash: hashes[at] })),
    suite,
  );
}
