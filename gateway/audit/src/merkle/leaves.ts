import { hashLeaf, SHA256, type HashSuite } from "./verify";
import { TreeBuilder } from "./builder";

const RECORD_HASH = /^[0-9a-f]{64}$/;

/**
 * The leaf bytes of an audit record: the 32 bytes of its record hash (the sha256 hex stored in
 * `hash`), not its canonical JSON. The record hash already commits to every field and to the
 * record before it, so nothing is lost; a proof for a record needs only the hash an export line
 * already carries; and the tree can be built, or rebuilt, from the hash column alone. The leaf
 * hash is then HASH(0x00 || these bytes) under the tree's suite. Leaf i (from 0) is record seq i+1.
 */
export function leafOfRecord(recordHashHex: string): Buffer {
  if (!RECORD_HASH.test(recordHashHex))
    throw new RangeError(`a record hash is 64 lowercase hex digits, not ${JSON.stringify(recordHashHex)}`);
  return Buffer.from(recordHashHex, "hex");
}

/** The leaf hash of an audit record in a tree of `suite`. */
export const recordLeafHash = (recordHashHex: string, suite: HashSuite = SHA256): Buffer =>
  hashLeaf(leafOfRecord(recordHashHex), suite);

/** Leaf hashes in order, from memory or streamed (a database cursor, an export file). */
export type LeafSource = Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** MTH of a stream of leaf hashes, in O(log n) memory. */
export async function rootOfLeaves(leafHashes: LeafSource, suite: HashSuite = SHA256): Promise<Buffer> {
  const builder = new TreeBuilder(suite);
  for await (const leafHash of leafHashes) builder.append(leafHash);
  return builder.root();
}
