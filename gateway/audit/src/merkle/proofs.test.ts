import { describe, expect, it } from "vitest";
import { consistencyPlan, inclusionPlan, proveConsistency, proveInclusion, rootAt } from "./prove";
import { below, flipped, hex, leafHashes, misshapen, seeded, storeOf } from "./testing";
import { consistencyPath, inclusionPath, treeHash } from "./tree";
import { consistencyProblem, inclusionProblem, verifyConsistency, verifyInclusion } from "./verify";

const MAX = 64;
const LEAVES = leafHashes(MAX, 7);
const ROOTS = Array.from({ length: MAX + 1 }, (_, size) => treeHash(LEAVES.slice(0, size)));
const same = (a: readonly Buffer[], b: readonly Buffer[]): boolean => a.map(hex).join() === b.map(hex).join();

// The loops collect what went wrong and assert once: thousands of cases, one readable failure.
describe("inclusion proofs for every leaf of every tree size up to 64", () => {
  it("match the RFC's PATH, verify, and refuse tampering, another leaf and another tree", async () => {
    const store = await storeOf(LEAVES);
    const wrong: string[] = [];
    let checked = 0;
    for (let size = 1; size <= MAX; size += 1) {
      if (!(await rootAt(store, size)).equals(ROOTS[size])) wrong.push(`root ${size}`);
      for (let index = 0; index < size; index += 1) {
        const at = `leaf ${index} of ${size}`;
        const proof = await proveInclusion(store, index, size);
        const leaf = LEAVES[index];
        if (!same(proof, inclusionPath(index, LEAVES.slice(0, size)))) wrong.push(`${at}: not PATH`);
        const problem = inclusionProblem(index, size, leaf, proof, ROOTS[size]);
        if (problem) wrong.push(`${at}: ${problem}`);
        const refuse = (what: string, accepted: boolean): void => {
          checked += 1;
          if (accepted) wrong.push(`${at}: accepted ${what}`);
        };
        proof.forEach((_, element) =>
          refuse(
            `bit flip ${element}`,
            verifyInclusion(index, size, leaf, flipped(proof, element), ROOTS[size]),
          ),
        );
        misshapen(proof, ROOTS[size]).forEach((bad, variant) =>
          refuse(`misshapen ${variant}`, verifyInclusion(index, size, leaf, bad, ROOTS[size])),
        );
        for (const other of [index - 1, index + 1, size])
          refuse(`index ${other}`, verifyInclusion(other, size, leaf, proof, ROOTS[size]));
        refuse("another leaf", verifyInclusion(index, size, LEAVES[(index + 1) % MAX], proof, ROOTS[size]));
        // A proof binds the leaf to a root; the size comes with the root, in the signed tree head.
        for (const other of [size - 1, size + 1, size * 2])
          if (other > index && other <= MAX)
            refuse(`size ${other}`, verifyInclusion(index, other, leaf, proof, ROOTS[other]));
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(20_000);
  });

  it("refuse impossible positions, saying why", () => {
    const [leaf, root] = [LEAVES[0], ROOTS[1]];
    expect(inclusionProblem(1, 1, leaf, [], root)).toMatch(/not within a tree of size 1/);
    expect(inclusionProblem(0, 0, leaf, [], root)).toMatch(/not within a tree of size 0/);
    expect(inclusionProblem(-1, 4, leaf, [], root)).toMatch(/not within/);
    expect(inclusionProblem(0.5, 4, leaf, [], root)).toMatch(/not within/);
    expect(inclusionProblem(0, 1, leaf.subarray(1), [], root)).toMatch(/31 bytes/);
    expect(inclusionProblem(0, 2, leaf, [ROOTS[1], ROOTS[1]], ROOTS[2])).toMatch(/longer/);
    expect(inclusionProblem(0, 4, leaf, [LEAVES[1]], ROOTS[4])).toMatch(/shorter/);
    expect(() => inclusionPath(4, LEAVES.slice(0, 4))).toThrow(RangeError);
    expect(() => inclusionPlan(4, 4)).toThrow(/not within a tree of size 4/);
  });
});

describe("consistency proofs between every pair of tree sizes up to 64", () => {
  it("match the RFC's PROOF, verify, and refuse tampering and other sizes", async () => {
    const store = await storeOf(LEAVES);
    const wrong: string[] = [];
    let checked = 0;
    for (let size2 = 0; size2 <= MAX; size2 += 1) {
      for (let size1 = 0; size1 <= size2; size1 += 1) {
        const at = `${size1} to ${size2}`;
        const [root1, root2] = [ROOTS[size1], ROOTS[size2]];
        const proof = await proveConsistency(store, size1, size2);
        if (!same(proof, consistencyPath(size1, LEAVES.slice(0, size2)))) wrong.push(`${at}: not PROOF`);
        const problem = consistencyProblem(size1, size2, proof, root1, root2);
        if (problem) wrong.push(`${at}: ${problem}`);
        if (size1 === 0 || size1 === size2) {
          if (proof.length > 0) wrong.push(`${at}: not empty`);
          continue;
        }
        const refuse = (what: string, accepted: boolean): void => {
          checked += 1;
          if (accepted) wrong.push(`${at}: accepted ${what}`);
        };
        proof.forEach((_, element) =>
          refuse(
            `bit flip ${element}`,
            verifyConsistency(size1, size2, flipped(proof, element), root1, root2),
          ),
        );
        misshapen(proof, root1).forEach((bad, variant) =>
          refuse(`misshapen ${variant}`, verifyConsistency(size1, size2, bad, root1, root2)),
        );
        refuse("swapped roots", verifyConsistency(size1, size2, proof, root2, root1));
        for (const [other1, other2] of [
          [size1 - 1, size2],
          [size1 + 1, size2],
          [size1, size2 - 1],
          [size1, size2 + 1],
        ])
          if (other1 > 0 && other1 < other2 && other2 <= MAX)
            refuse(
              `sizes ${other1} to ${other2}`,
              verifyConsistency(other1, other2, proof, ROOTS[other1], ROOTS[other2]),
            );
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(20_000);
  });

  it("detect a fork: a different leaf before the older size, at any position", () => {
    for (const [size1, size2] of [
      [1, 2],
      [3, 7],
      [8, 8],
      [8, 13],
      [21, 64],
    ]) {
      for (let changed = 0; changed < size1; changed += 1) {
        const forked = LEAVES.slice(0, size2);
        forked[changed] = leafHashes(1, 1000 + changed)[0];
        const forkedProof = consistencyPath(size1, forked);
        const forkedRoot = treeHash(forked);
        const honest = consistencyPath(size1, LEAVES.slice(0, size2));
        expect(verifyConsistency(size1, size2, honest, ROOTS[size1], forkedRoot)).toBe(false);
        expect(consistencyProblem(size1, size2, forkedProof, ROOTS[size1], forkedRoot)).toMatch(
          size1 === size2 ? /^fork: two different roots for tree size 8$/ : /^fork or bad proof: /,
        );
      }
    }
    // A leaf after the older size is the log growing, not a fork.
    const grown = [...LEAVES.slice(0, 10), ...leafHashes(5, 99)];
    expect(verifyConsistency(10, 15, consistencyPath(10, grown), ROOTS[10], treeHash(grown))).toBe(true);
  });

  it("refuse a rollback to a smaller tree, naming both sizes", async () => {
    const store = await storeOf(LEAVES);
    expect(consistencyProblem(20, 12, [], ROOTS[20], ROOTS[12])).toBe(
      "rollback: tree size 12 is smaller than the tree size 20 seen before",
    );
    const proof = await proveConsistency(store, 12, 20);
    expect(verifyConsistency(20, 12, proof, ROOTS[20], ROOTS[12])).toBe(false);
    expect(() => consistencyPlan(20, 12)).toThrow(/no consistency proof back from tree size 12 to 20/);
    await expect(proveConsistency(store, 20, 12)).rejects.toThrow(RangeError);
  });
});

describe("proofs at random past sizes of a larger tree (seeded)", () => {
  it("verify, match the RFC, read O(log n) nodes, and fail with any one bit changed", async () => {
    const random = seeded(20260115);
    const leaves = leafHashes(1024 + 300, 3);
    const store = await storeOf(leaves);
    const wrong: string[] = [];
    for (let round = 0; round < 80; round += 1) {
      const size2 = 1 + below(random, leaves.length);
      const size1 = 1 + below(random, size2);
      const index = below(random, size2);
      const at = `leaf ${index}, sizes ${size1} to ${size2}`;
      const prefix = leaves.slice(0, size2);
      const [root1, root2] = [treeHash(prefix.slice(0, size1)), treeHash(prefix)];

      const readsBefore = store.reads;
      const inclusion = await proveInclusion(store, index, size2);
      const bound = 2 * Math.ceil(Math.log2(size2 + 1));
      if (store.reads - readsBefore > bound) wrong.push(`${at}: ${store.reads - readsBefore} reads`);
      if (!same(inclusion, inclusionPath(index, prefix))) wrong.push(`${at}: not PATH`);
      if (!verifyInclusion(index, size2, leaves[index], inclusion, root2)) wrong.push(`${at}: inclusion`);
      const consistency = await proveConsistency(store, size1, size2);
      if (!same(consistency, consistencyPath(size1, prefix))) wrong.push(`${at}: not PROOF`);
      if (!verifyConsistency(size1, size2, consistency, root1, root2)) wrong.push(`${at}: consistency`);

      if (inclusion.length > 0) {
        const tampered = flipped(inclusion, below(random, inclusion.length), below(random, 8));
        if (verifyInclusion(index, size2, leaves[index], tampered, root2))
          wrong.push(`${at}: tampered inclusion`);
      }
      if (consistency.length > 0) {
        const tampered = flipped(consistency, below(random, consistency.length), below(random, 8));
        if (verifyConsistency(size1, size2, tampered, root1, root2))
          wrong.push(`${at}: tampered consistency`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
