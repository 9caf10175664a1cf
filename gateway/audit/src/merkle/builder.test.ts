import { describe, expect, it } from "vitest";
import { buildNodes, resumeBuilder } from "./build";
import { TreeBuilder } from "./builder";
import { rootOfLeaves } from "./leaves";
import { auditMigrations } from "../store/schema";
import {
  MemoryNodeStore,
  MissingNodeError,
  NodeConflictError,
  TREE_NODES_GUARD,
  treeNodesMigration,
} from "./nodes";
import { proveInclusion, rootAt } from "./prove";
import { MAX_LEVEL, nodeKey, nodeSpan, rangeNodes, splitPoint, type NodeId } from "./shape";
import { hex, leafHashes } from "./testing";
import { treeHash } from "./tree";
import { emptyRoot } from "./verify";

const LEAVES = leafHashes(300, 11);

describe("the shape of the tree", () => {
  it("splits at the largest power of two smaller than the size", () => {
    expect([2, 3, 4, 5, 8, 9, 1000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 512]);
    expect(splitPoint(2 ** 40 + 1)).toBe(2 ** 40);
    expect(splitPoint(2 ** 52)).toBe(2 ** 51);
    expect(() => splitPoint(1)).toThrow(RangeError);
  });

  it("covers a range with the largest aligned perfect subtrees, exactly, up to 2^53 - 1", () => {
    expect(rangeNodes(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(rangeNodes(8, 11)).toEqual([
      { level: 1, index: 4 },
      { level: 0, index: 10 },
    ]);
    expect(rangeNodes(5, 5)).toEqual([]);
    const huge = rangeNodes(0, 2 ** MAX_LEVEL - 1);
    expect(huge.map((id) => id.level)).toEqual(
      Array.from({ length: MAX_LEVEL }, (_, at) => MAX_LEVEL - 1 - at),
    );
    let next = 0;
    for (const id of huge) {
      expect(nodeSpan(id).first).toBe(next);
      next += nodeSpan(id).width;
    }
    expect(next).toBe(2 ** MAX_LEVEL - 1);
    expect(() => rangeNodes(3, 2)).toThrow(RangeError);
  });
});

describe("the incremental builder", () => {
  it("gives the recursive MTH at every size from 0 to 300, in a frontier of one node per set bit", () => {
    const builder = new TreeBuilder();
    expect(builder.root()).toEqual(emptyRoot());
    for (let size = 1; size <= LEAVES.length; size += 1) {
      builder.append(LEAVES[size - 1]);
      expect(builder.size).toBe(size);
      expect(hex(builder.root()), `size ${size}`).toBe(hex(treeHash(LEAVES.slice(0, size))));
      const bits = size.toString(2).replace(/0/g, "").length;
      expect(builder.frontier().map(({ level, index }) => ({ level, index }))).toEqual(rangeNodes(0, size));
      expect(builder.frontier()).toHaveLength(bits);
    }
  });

  it("completes every perfect subtree exactly once, each with the MTH of its leaves", () => {
    const builder = new TreeBuilder();
    const seen = new Map<string, { id: NodeId; hash: Buffer }>();
    for (const leaf of LEAVES)
      for (const node of builder.append(leaf)) {
        expect(seen.has(nodeKey(node))).toBe(false);
        seen.set(nodeKey(node), { id: node, hash: node.hash });
      }
    const bits = LEAVES.length.toString(2).replace(/0/g, "").length;
    expect(seen.size).toBe(2 * LEAVES.length - bits);
    for (const { id, hash } of seen.values()) {
      const { first, width } = nodeSpan(id);
      expect(first + width).toBeLessThanOrEqual(LEAVES.length);
      expect(hash).toEqual(treeHash(LEAVES.slice(first, first + width)));
    }
  });

  it("resumes from its frontier, or from the stored nodes, and goes on exactly as before", async () => {
    const store = new MemoryNodeStore();
    const whole = await buildNodes(LEAVES, store, { batch: 7 });
    for (const size of [0, 1, 2, 3, 64, 100, 255, 256, 257]) {
      const fromFrontier = new TreeBuilder();
      LEAVES.slice(0, size).forEach((leaf) => fromFrontier.append(leaf));
      const resumed = [TreeBuilder.resume(fromFrontier.frontier()), await resumeBuilder(store, size)];
      for (const builder of resumed) {
        expect(builder.size).toBe(size);
        LEAVES.slice(size).forEach((leaf) => builder.append(leaf));
        expect(builder.root()).toEqual(whole.root());
      }
    }
  });

  it("refuses a frontier that is not one, and a leaf hash of the wrong length", () => {
    const builder = new TreeBuilder();
    LEAVES.slice(0, 6).forEach((leaf) => builder.append(leaf));
    const [four, two] = builder.frontier();
    expect(() => TreeBuilder.resume([two, four])).toThrow(/not the frontier/);
    expect(() => TreeBuilder.resume([four, { ...two, index: 3 }])).toThrow(/not the frontier/);
    expect(() => TreeBuilder.resume([four, { ...two, hash: two.hash.subarray(1) }])).toThrow(
      /not the frontier/,
    );
    expect(() => builder.append(Buffer.alloc(20))).toThrow(/32 bytes/);
  });

  it("streams a root from any leaf source in O(log n) memory", async () => {
    async function* stream(): AsyncIterable<Buffer> {
      yield* LEAVES;
    }
    expect(await rootOfLeaves(stream())).toEqual(treeHash(LEAVES));
    expect(await rootOfLeaves([])).toEqual(emptyRoot());
  });
});

describe("the node store", () => {
  it("holds 2n - popcount(n) nodes and serves the root of every past size from them", async () => {
    const store = new MemoryNodeStore();
    await buildNodes(LEAVES, store);
    expect(store.size).toBe(2 * 300 - 4);
    for (const size of [0, 1, 5, 128, 129, 299, 300])
      expect(await rootAt(store, size)).toEqual(treeHash(LEAVES.slice(0, size)));
  });

  it("accepts a node written again unchanged, refuses a changed one, and names a missing one", async () => {
    const store = new MemoryNodeStore();
    const builder = new TreeBuilder();
    const nodes = LEAVES.slice(0, 4).flatMap((leaf) => builder.append(leaf));
    await store.writeNodes(nodes);
    await store.writeNodes(nodes.slice(2));
    await expect(store.writeNodes([{ ...nodes[1], hash: LEAVES[9] }])).rejects.toThrow(NodeConflictError);
    expect(await rootAt(store, 4)).toEqual(builder.root());
    await expect(proveInclusion(store, 0, 5)).rejects.toThrow(MissingNodeError);
    await expect(rootAt(store, 6)).rejects.toThrow("the tree node at level 1, index 2 is not stored");
  });

  it("is an audit migration, with the table's key and its append-only guard", () => {
    expect(auditMigrations).toContain(treeNodesMigration);
    // The migration runner splits on semicolons.
    expect(treeNodesMigration.sql).not.toContain(";");
    expect(treeNodesMigration.sql).toMatch(/CREATE TABLE audit\.tree_nodes[\s\S]*PRIMARY KEY \(level, idx\)/);
    for (const statement of TREE_NODES_GUARD)
      expect(statement).toMatch(/ON audit\.tree_nodes[\s\S]*refuse_change/);
  });
});
