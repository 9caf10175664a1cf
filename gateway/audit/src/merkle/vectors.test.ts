import { describe, expect, it } from "vitest";
import { TreeBuilder } from "./builder";
import { proveConsistency, proveInclusion, rootAt } from "./prove";
import { flipped, hex, misshapen, storeOf, unhex } from "./testing";
import { consistencyPath, inclusionPath, treeHash } from "./tree";
import { emptyRoot, hashLeaf, rootFromInclusion, verifyConsistency, verifyInclusion } from "./verify";

// The test data of Certificate Transparency's reference implementations (the 8 leaves, their roots
// and proofs, as in transparency-dev/merkle's proof/verify_test.go and trillian), also recomputed
// by an independent implementation of RFC 9162 §2.1 before being written down here.
const DATA = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map(unhex);
const LEAVES = DATA.map((data) => hashLeaf(data));
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const rootOf = (size: number): Buffer => unhex(ROOTS[size - 1]);
const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SOME_HASH = unhex("abacaba000000000000000000000000000000000000000000060061e00123456");

const H = {
  l1: "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
  n23: "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
  n47: "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  l4: "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  l5: "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
  n67: "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
  l6: "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
};
/** [leaf index from 0, tree size, proof]. */
const INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [0, 8, [H.l1, H.n23, H.n47]],
  [5, 8, [H.l4, H.n67, ROOTS[3]]],
  [2, 3, [ROOTS[1]]],
  [1, 5, [ROOTS[0], H.n23, H.l4]],
];
/** [size1, size2, proof]. */
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, [H.l1, H.n23, H.n47]],
  [6, 8, [H.l5, H.n67, ROOTS[3]]],
  [2, 5, [H.n23, H.l4]],
  [6, 7, [H.l5, H.l6, ROOTS[3]]],
];

describe("the Certificate Transparency test vectors", () => {
  it("give the known roots for sizes 0 to 8, recursively, incrementally and from stored nodes", async () => {
    expect(hex(emptyRoot())).toBe(EMPTY);
    expect(hex(treeHash([]))).toBe(EMPTY);
    const store = await storeOf(LEAVES);
    const builder = new TreeBuilder();
    for (let size = 1; size <= 8; size += 1) {
      builder.append(LEAVES[size - 1]);
      expect(hex(treeHash(LEAVES.slice(0, size)))).toBe(ROOTS[size - 1]);
      expect(hex(builder.root())).toBe(ROOTS[size - 1]);
      expect(hex(await rootAt(store, size))).toBe(ROOTS[size - 1]);
    }
  });

  it("give the known inclusion proofs, which verify and refuse every corruption", async () => {
    const store = await storeOf(LEAVES);
    for (const [index, size, expected] of INCLUSION) {
      const leaves = LEAVES.slice(0, size);
      const root = rootOf(size);
      expect(inclusionPath(index, leaves).map(hex)).toEqual(expected);
      const proof = await proveInclusion(store, index, size);
      expect(proof.map(hex)).toEqual(expected);
      expect(hex(rootFromInclusion(index, size, LEAVES[index], proof))).toBe(ROOTS[size - 1]);
      expect(verifyInclusion(index, size, LEAVES[index], proof, root)).toBe(true);

      const wrong: [number, number, Buffer, Buffer[], Buffer][] = [
        [index - 1, size, LEAVES[index], proof, root],
        [index + 1, size, LEAVES[index], proof, root],
        [index ^ 2, size, LEAVES[index], proof, root],
        [index, size * 2, LEAVES[index], proof, root],
        [index, Math.floor(size / 2), LEAVES[index], proof, root],
        [index, size, hashLeaf(Buffer.from("WrongLeaf")), proof, root],
        [index, size, LEAVES[index], proof, unhex(EMPTY)],
        [index, size, LEAVES[index], proof, SOME_HASH],
        ...misshapen(proof, root).map((bad): [number, number, Buffer, Buffer[], Buffer] => [
          index,
          size,
          LEAVES[index],
          bad,
          root,
        ]),
        ...proof.map((_, at): [number, number, Buffer, Buffer[], Buffer] => [
          index,
          size,
          LEAVES[index],
          flipped(proof, at),
          root,
        ]),
      ];
      for (const args of wrong) expect(verifyInclusion(...args), `${index}/${size}`).toBe(false);
    }
  });

  it("give the known consistency proofs, which verify and refuse every corruption", async () => {
    const store = await storeOf(LEAVES);
    for (const [size1, size2, expected] of CONSISTENCY) {
      const [root1, root2] = [rootOf(size1), rootOf(size2)];
      expect(consistencyPath(size1, LEAVES.slice(0, size2)).map(hex)).toEqual(expected);
      const proof = await proveConsistency(store, size1, size2);
      expect(proof.map(hex)).toEqual(expected);
      expect(verifyConsistency(size1, size2, proof, root1, root2)).toBe(true);
      if (proof.length === 0) continue;

      const wrong: [number, number, Buffer[], Buffer, Buffer][] = [
        [size1 - 1, size2, proof, root1, root2],
        [size1 + 1, size2, proof, root1, root2],
        [size1 ^ 2, size2, proof, root1, root2],
        [size1, size2 * 2, proof, root1, root2],
        [size1, Math.floor(size2 / 2), proof, root1, root2],
        [size1, size2, proof, Buffer.from("WrongRoot"), root2],
        [size1, size2, proof, root1, Buffer.from("WrongRoot")],
        [size1, size2, proof, root2, root1],
        [size1, size2, [], root1, root2],
        [size1, size2, [...proof, root2], root1, root2],
        [size1, size2, [root2, ...proof], root1, root2],
        ...misshapen(proof, root1).map((bad): [number, number, Buffer[], Buffer, Buffer] => [
          size1,
          size2,
          bad,
          root1,
          root2,
        ]),
        ...proof.map((_, at): [number, number, Buffer[], Buffer, Buffer] => [
          size1,
          size2,
          flipped(proof, at, 4),
          root1,
          root2,
        ]),
      ];
      for (const args of wrong) expect(verifyConsistency(...args), `${size1}/${size2}`).toBe(false);
    }
  });

  it("treat the trivial consistency cases as transparency-dev does", () => {
    const [one, two] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    expect(verifyConsistency(0, 0, [], unhex(EMPTY), unhex(EMPTY))).toBe(true);
    expect(verifyConsistency(0, 5, [], unhex(EMPTY), rootOf(5))).toBe(true);
    expect(verifyConsistency(1, 1, [], two, two)).toBe(true);
    expect(verifyConsistency(1, 1, [], one, two)).toBe(false);
    expect(verifyConsistency(1, 0, [], one, two)).toBe(false);
    expect(verifyConsistency(2, 1, [], one, two)).toBe(false);
    expect(verifyConsistency(1, 2, [], one, two)).toBe(false);
    expect(verifyConsistency(0, 1, [unhex(EMPTY)], unhex(EMPTY), unhex(EMPTY))).toBe(false);
    expect(verifyConsistency(1, 1, [unhex(EMPTY)], unhex(EMPTY), unhex(EMPTY))).toBe(false);
    // Unlike transparency-dev, a head of size 0 must carry the empty tree's root.
    expect(verifyConsistency(0, 5, [], one, rootOf(5))).toBe(false);
  });
});
