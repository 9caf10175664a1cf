// Signed tree heads: what checkpoints will sign, what the API serves with its proofs, and what a
// witness keeps. Like verify.ts, this file stays free of the rest of the package (it imports only
// verify.ts), so the standalone verifier can check heads as well as proofs.
import { consistencyProblem, SHA256, treeSuiteByName, type HashSuite } from "./verify";

/** The `type` of the signed payload; differs from the chain checkpoints', so one key can sign both. */
export const TREE_HEAD_TYPE = "onecert-audit-tree-head";
/**
 * Version of the payload layout; part of what is signed. 2 added `alg`, the signature algorithm
 * (JWS names: "EdDSA", "SM2"); a version-1 head (no `alg`) is an Ed25519-signed sha256 tree.
 */
export const TREE_HEAD_VERSION = 2;

/** "The first `treeSize` records have this root": RFC 9162's tree head, before signing. */
export interface TreeHead {
  /** Leaves covered: the records of seq 1 to treeSize. */
  treeSize: number;
  /** MTH of those leaves, lowercase hex. */
  rootHash: string;
  /** When the head was made, ISO 8601 in UTC with milliseconds (as Date#toISOString writes it). */
  timestamp: string;
  /** The hash suite the tree was built with (HashSuite.name). */
  suite: string;
}

export interface SignedTreeHead extends TreeHead {
  keyId: string;
  /** The signature algorithm, as JWS names it; absent on version-1 heads, which are EdDSA. */
  alg?: string;
  /** Signature over treeHeadPayload, base64. */
  signature: string;
}

/** Signs payloads with one key; it may be remote (an HSM), hence the promise. */
export interface TreeHeadSigner {
  keyId: string;
  /** The algorithm its signatures are made with, written into the head ("EdDSA", "SM2"). */
  alg: string;
  sign(payload: Buffer): Uint8Array | Promise<Uint8Array>;
}

/**
 * Checks a signature made with `alg` by the key named `keyId`; false for a key it does not trust
 * or a key of another algorithm.
 */
export type TreeHeadVerifier = (payload: Buffer, signature: Buffer, keyId: string, alg: string) => boolean;

const HEX = /^(?:[0-9a-f]{2})+$/;

function shapeProblem(head: Omit<SignedTreeHead, "signature">): string | null {
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0)
    return `its tree size ${head.treeSize} is not a whole number`;
  if (typeof head.rootHash !== "string" || !HEX.test(head.rootHash)) return "its root hash is not hex";
  const time = new Date(head.timestamp);
  if (
    typeof head.timestamp !== "string" ||
    Number.isNaN(time.getTime()) ||
    time.toISOString() !== head.timestamp
  )
    return `its timestamp ${head.timestamp} is not an ISO 8601 UTC time with milliseconds`;
  if (typeof head.suite !== "string" || head.suite === "") return "it names no hash suite";
  if (typeof head.keyId !== "string" || head.keyId === "") return "it names no key";
  if (head.alg !== undefined && (typeof head.alg !== "string" || head.alg === ""))
    return "its signature algorithm is not a name";
  return null;
}

/**
 * The exact bytes a tree head signature covers: the canonical JSON (sorted keys, no spaces, as
 * canonicalJson in record.ts writes it) of the head, its key id, type and version. Written out
 * here rather than imported, to keep this file standalone. Throws on a malformed head, which is
 * never to be signed.
 */
export function treeHeadPayload(head: Omit<SignedTreeHead, "signature">): Buffer {
  const problem = shapeProblem(head);
  if (problem) throw new RangeError(`the tree head cannot be signed: ${problem}`);
  const { alg, keyId, rootHash, suite, timestamp, treeSize } = head;
  const type = TREE_HEAD_TYPE;
  // A head without `alg` keeps the version-1 bytes, so heads signed before it still verify.
  if (alg === undefined)
    return Buffer.from(JSON.stringify({ keyId, rootHash, suite, timestamp, treeSize, type, v: 1 }));
  return Buffer.from(
    JSON.stringify({ alg, keyId, rootHash, suite, timestamp, treeSize, type, v: TREE_HEAD_VERSION }),
  );
}

/** The head of a tree of `treeSize` leaves with `root`, made at `at`. */
export const treeHeadOf = (
  treeSize: number,
  root: Uint8Array,
  at: Date,
  suite: HashSuite = SHA256,
): TreeHead => ({
  treeSize,
  rootHash: Buffer.from(root).toString("hex"),
  timestamp: at.toISOString(),
  suite: suite.name,
});

/** Signs a tree head. */
export async function signTreeHead(head: TreeHead, signer: TreeHeadSigner): Promise<SignedTreeHead> {
  const { treeSize, rootHash, timestamp, suite } = head;
  const body = { treeSize, rootHash, timestamp, suite, keyId: signer.keyId, alg: signer.alg };
  const signature = Buffer.from(await signer.sign(treeHeadPayload(body))).toString("base64");
  return { ...body, signature };
}

/**
 * Why a signed tree head is not to be trusted, or null when its signature verifies. The head's
 * hash suite must be one a crypto suite has, and its algorithm that suite's (an SM3 tree signed
 * with SM2, a sha256 tree with Ed25519): what the head names is what is checked, never guessed.
 * With `suite`, the head must also be of that suite.
 */
export function treeHeadProblem(
  head: SignedTreeHead,
  verify: TreeHeadVerifier,
  suite?: HashSuite,
): string | null {
  const problem = shapeProblem(head);
  if (problem) return problem;
  if (suite && head.suite !== suite.name) return `it is a ${head.suite} tree, not ${suite.name}`;
  const named = treeSuiteByName(head.suite);
  if (!named) return `its hash suite ${head.suite} is not one this verifier knows`;
  if (head.rootHash.length !== named.hash.size * 2)
    return `its root hash is not ${named.hash.size} bytes long, as ${named.hash.name} gives`;
  const alg = head.alg ?? "EdDSA";
  if (alg !== named.crypto.jwsAlg)
    return `it is a ${head.suite} tree signed with ${alg}, not with ${named.crypto.jwsAlg} as the ${named.crypto.name} suite signs`;
  const { signature, ...body } = head;
  let valid = false;
  try {
    valid = verify(treeHeadPayload(body), Buffer.from(signature, "base64"), head.keyId, alg);
  } catch {
    valid = false;
  }
  return valid ? null : `its signature does not verify under key ${head.keyId}`;
}

/**
 * Why the `newer` head does not extend the `older` one, given the log's consistency proof between
 * them, or null when it does: the witness's check. A smaller tree is a rollback; a different root
 * for the same leaves, a fork. Signatures are checked apart, by treeHeadProblem.
 */
export function headConsistencyProblem(
  older: TreeHead,
  newer: TreeHead,
  proof: readonly Uint8Array[],
  suite: HashSuite = SHA256,
): string | null {
  for (const head of [older, newer])
    if (head.suite !== suite.name)
      return `the head of tree size ${head.treeSize} is not a ${suite.name} tree`;
  const problem = consistencyProblem(
    older.treeSize,
    newer.treeSize,
    proof,
    Buffer.from(older.rootHash, "hex"),
    Buffer.from(newer.rootHash, "hex"),
    suite,
  );
  return problem && `tree head ${older.treeSize} to ${newer.treeSize}: ${problem}`;
}
