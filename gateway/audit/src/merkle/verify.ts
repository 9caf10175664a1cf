// The verifying half of the Merkle tree (RFC 9162 §2.1.3.2 and §2.1.4.2) and the hashing that
// both halves share. This file imports the kit's crypto suites and nothing else, on purpose: the
// standalone verifier an auditor runs with the public key alone (one bundled file, no server
// dependencies) is built from it and head.ts, so it must never pull in the rest of the package.
import { nationalSuite, standardSuite, type CryptoSuite } from "@onecert/subgraph-kit/suites";

/**
 * A hash function and the name tree heads carry, so a verifier uses the one the log used. The
 * tree works over any suite: sha256 (the standard crypto suite's digest) is the default, SM3 (the
 * national suite's) the other one a deployment builds its trees with.
 */
export interface HashSuite {
  /** Written into signed tree heads; never reuse a name for a different function. */
  readonly name: string;
  /** Digest length in bytes: roots and proof elements of any other length are refused. */
  readonly size: number;
  readonly digest: (data: Uint8Array) => Buffer;
}

/** The tree hashing of a crypto suite: its digest, named as its artefacts name it ("sha256", "sm3"). */
export const hashSuiteOf = (suite: CryptoSuite): HashSuite =>
  Object.freeze({
    name: suite.digestName,
    size: suite.digestLength,
    digest: (data: Uint8Array) => suite.digest(data),
  });

/** The default suite: the standard crypto suite's digest. */
export const SHA256: HashSuite = hashSuiteOf(standardSuite);
/** The national crypto suite's digest (GB/T 32905). */
export const SM3: HashSuite = hashSuiteOf(nationalSuite);

const TREE_SUITES: readonly { hash: HashSuite; crypto: CryptoSuite }[] = [
  { hash: SHA256, crypto: standardSuite },
  { hash: SM3, crypto: nationalSuite },
];

/**
 * The crypto suite a tree head's hash suite belongs to, or null for a name no suite has: a
 * "sm3" tree is signed with SM2, a "sha256" one with Ed25519, so the head's signature algorithm
 * follows from its hash and any other pairing is refused.
 */
export const treeSuiteByName = (name: unknown): { hash: HashSuite; crypto: CryptoSuite } | null =>
  TREE_SUITES.find((suite) => suite.hash.name === name) ?? null;

/** A proof that cannot be evaluated at all: sizes out of range, wrong length, wrong hash size. */
export class ProofError extends Error {
  override name = "ProofError";
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = HASH(), the root of the empty tree. */
export const emptyRoot = (suite: HashSuite = SHA256): Buffer => suite.digest(Buffer.alloc(0));

/** HASH(0x00 || leaf). The two prefixes keep a leaf from passing for an inner node (second preimages). */
export const hashLeaf = (leaf: Uint8Array, suite: HashSuite = SHA256): Buffer =>
  suite.digest(Buffer.concat([LEAF_PREFIX, leaf]));

/** HASH(0x01 || left || right). */
export const hashChildren = (left: Uint8Array, right: Uint8Array, suite: HashSuite = SHA256): Buffer =>
  suite.digest(Buffer.concat([NODE_PREFIX, left, right]));

// Sizes are JavaScript numbers, exact up to 2^53; the bitwise operators would cut them to 32 bits.
const isSize = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;
const odd = (value: number): boolean => value % 2 === 1;
const half = (value: number): number => Math.floor(value / 2);
const isPowerOfTwo = (value: number): boolean => {
  let rest = value;
  while (rest > 1 && rest % 2 === 0) rest /= 2;
  return rest === 1;
};

function checkHashes(
  suite: HashSuite,
  hashes: Record<string, Uint8Array>,
  proof: readonly Uint8Array[],
): void {
  const named = [
    ...Object.entries(hashes),
    ...proof.map((hash, at) => [`proof element ${at}`, hash] as const),
  ];
  for (const [what, hash] of named)
    if (hash.length !== suite.size)
      throw new ProofError(`${what} has ${hash.length} bytes, not the ${suite.size} of ${suite.name}`);
}

/**
 * The root an inclusion proof leads to for the leaf hash at `index` in a tree of `size` leaves
 * (RFC 9162 §2.1.3.2). Throws ProofError when the proof cannot belong to that position at all.
 */
export function rootFromInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  suite: HashSuite = SHA256,
): Buffer {
  if (!isSize(index) || !isSize(size) || index >= size)
    throw new ProofError(`leaf index ${index} is not within a tree of size ${size}`);
  checkHashes(suite, { "the leaf hash": leafHash }, proof);
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) throw new ProofError(`the proof is longer than leaf ${index} of size ${size} needs`);
    if (odd(fn) || fn === sn) {
      r = hashChildren(p, r, suite);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p, suite);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError(`the proof is shorter than leaf ${index} of size ${size} needs`);
  return r;
}

/** Why the proof does not show the leaf at `index` in the tree of `size` with `root`; null when it does. */
export function inclusionProblem(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  suite: HashSuite = SHA256,
): string | null {
  try {
    checkHashes(suite, { "the root": root }, []);
    const computed = rootFromInclusion(index, size, leafHash, proof, suite);
    if (computed.equals(root)) return null;
    return `the proof of leaf ${index} leads to another root than that of tree size ${size}`;
  } catch (error) {
    if (error instanceof ProofError) return error.message;
    throw error;
  }
}

/** True when the proof shows the leaf hash at `index` in the tree of `size` leaves with `root`. */
export const verifyInclusion = (...args: Parameters<typeof inclusionProblem>): boolean =>
  inclusionProblem(...args) === null;

/**
 * Why the tree of `size2` with `root2` is not an extension of the tree of `size1` with `root1`
 * (RFC 9162 §2.1.4.2), or null when the proof shows it is. A smaller second size is a rollback;
 * equal sizes need equal roots and an empty proof; the empty tree (its root HASH()) precedes every
 * tree. The messages name the sizes, for a witness to report.
 */
export function consistencyProblem(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
  suite: HashSuite = SHA256,
): string | null {
  if (!isSize(size1) || !isSize(size2)) return `tree sizes ${size1} and ${size2} are not both whole numbers`;
  if (size2 < size1) return `rollback: tree size ${size2} is smaller than the tree size ${size1} seen before`;
  try {
    checkHashes(suite, { "the first root": root1, "the second root": root2 }, proof);
  } catch (error) {
    return (error as ProofError).message;
  }
  if (size1 === size2) {
    if (proof.length > 0) return `a consistency proof between equal tree sizes ${size1} must be empty`;
    return Buffer.from(root1).equals(root2) ? null : `fork: two different roots for tree size ${size1}`;
  }
  if (size1 === 0) {
    if (proof.length > 0) return "a consistency proof from the empty tree must be empty";
    return emptyRoot(suite).equals(root1) ? null : "the root given for tree size 0 is not the empty tree's";
  }
  if (proof.length === 0) return `the consistency proof from tree size ${size1} to ${size2} is empty`;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return `the consistency proof is longer than tree sizes ${size1} to ${size2} need`;
    if (odd(fn) || fn === sn) {
      fr = hashChildren(c, fr, suite);
      sr = hashChildren(c, sr, suite);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c, suite);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return `the consistency proof is shorter than tree sizes ${size1} to ${size2} need`;
  if (!fr.equals(root1))
    return `fork or bad proof: the proof does not lead to the root of tree size ${size1} seen before`;
  if (!sr.equals(root2))
    return `fork or bad proof: the proof does not lead from the root of tree size ${size1} to that of ${size2}`;
  return null;
}

/** True when the tree of `size2` with `root2` provably extends the tree of `size1` with `root1`. */
export const verifyConsistency = (...args: Parameters<typeof consistencyProblem>): boolean =>
  consistencyProblem(...args) === null;
