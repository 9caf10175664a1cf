import {
  inclusionProblem,
  recordLeafHash,
  treeHeadProblem,
  treeSuiteByName,
  type SignedTreeHead,
} from "../merkle";
import { treeVerifier, type TrustedKeys } from "../signing";

/**
 * What `onecert audit prove` prints: a record's hash, the signed tree head it is proven in, and
 * the inclusion proof. A third party checks it with the log's public key alone.
 */
export interface InclusionProofFile {
  type: "onecert-audit-inclusion-proof";
  seq: number;
  recordHash: string;
  treeHead: SignedTreeHead;
  /** Hex hashes, RFC 9162 inclusion path from the leaf up. */
  proof: string[];
}

/** Why the proof file does not show its record in a tree head the trusted keys signed; null when it does. */
export function inclusionProofProblem(file: InclusionProofFile, trusted: TrustedKeys): string | null {
  if (file?.type !== "onecert-audit-inclusion-proof") return "it is not an inclusion proof of the audit log";
  if (!Number.isSafeInteger(file.seq) || file.seq < 1)
    return "its record sequence is not a positive whole number";
  if (
    !Array.isArray(file.proof) ||
    !file.proof.every((hash) => typeof hash === "string" && /^[0-9a-f]*$/.test(hash))
  )
    return "its proof is not a list of hex hashes";
  const signature = treeHeadProblem(file.treeHead, treeVerifier(trusted));
  if (signature) return `its tree head: ${signature}`;
  // The tree's hash is the one its head names (treeHeadProblem refused any other).
  const suite = treeSuiteByName(file.treeHead.suite)!.hash;
  let leaf: Buffer;
  try {
    leaf = recordLeafHash(file.recordHash, suite);
  } catch (error) {
    return (error as Error).message;
  }
  const problem = inclusionProblem(
    file.seq - 1,
    file.treeHead.treeSize,
    leaf,
    file.proof.map((hash) => Buffer.from(hash, "hex")),
    Buffer.from(file.treeHead.rootHash, "hex"),
    suite,
  );
  return problem && `record ${file.seq}: ${problem}`;
}
