import { buildNodes } from "./build";
import { MemoryNodeStore } from "./nodes";
import { hashLeaf, SHA256, type HashSuite } from "./verify";

// Test support for the Merkle tree tests: seeded randomness, leaves and a built store.

/** A seeded generator of floats in [0, 1) (mulberry32): the same sequence on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [0, below) from `random`. */
export const below = (random: () => number, limit: number): number => Math.floor(random() * limit);

/** `count` distinct leaf hashes, from `seed`. */
export function leafHashes(count: number, seed = 1, suite: HashSuite = SHA256): Buffer[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, index) => {
    const data = Buffer.alloc(12);
    data.writeUInt32BE(index, 0);
    data.writeUInt32BE(below(random, 2 ** 32), 4);
    data.writeUInt32BE(below(random, 2 ** 32), 8);
    return hashLeaf(data, suite);
  });
}

/** A node store holding the tree of `leaves`. */
export async function storeOf(
  leaves: readonly Buffer[],
  suite: HashSuite = SHA256,
): Promise<MemoryNodeStore> {
  const store = new MemoryNodeStore();
  await buildNodes(leaves, store, { suite });
  return store;
}

/** A copy of `proof` with one bit of element `at` flipped. */
export function flipped(proof: readonly Buffer[], at: number, bit = 3): Buffer[] {
  return proof.map((hash, index) => {
    if (index !== at) return hash;
    const copy = Buffer.from(hash);
    copy[0] ^= 1 << bit;
    return copy;
  });
}

/** The same proof with one element too many or too few, in every place that matters. */
export function misshapen(proof: readonly Buffer[], extra: Buffer): Buffer[][] {
  const variants = [
    [...proof, extra],
    [extra, ...proof],
    [...proof, Buffer.alloc(0)],
    [Buffer.alloc(0), ...proof],
  ];
  if (proof.length > 0) variants.push(proof.slice(0, -1), proof.slice(1), [proof[0], ...proof]);
  if (proof.length > 1) variants.push([proof[0], extra, ...proof.slice(1)]);
  return variants;
}

export const hex = (hash: Uint8Array): string => Buffer.from(hash).toString("hex");
export const unhex = (text: string): Buffer => Buffer.from(text, "hex");
