// The Merkle tree over the audit records (RFC 9162, Certificate Transparency v2): the leaf of a
// record (leaves.ts), the incremental builder a writer keeps (builder.ts), stored perfect-subtree
// nodes (nodes.ts) from which any inclusion or consistency proof is read (prove.ts), the RFC's
// recursions in memory (tree.ts), signed tree heads (head.ts) and the standalone verification
// (verify.ts, with head.ts). The hash suite is a parameter everywhere, sha256 by default, SM3 under
// the national crypto suite.
export {
  consistencyProblem,
  emptyRoot,
  hashChildren,
  hashLeaf,
  inclusionProblem,
  rootFromInclusion,
  verifyConsistency,
  verifyInclusion,
  ProofError,
  hashSuiteOf,
  SHA256,
  SM3,
  treeSuiteByName,
  type HashSuite,
} from "./verify";
export { MAX_LEVEL, nodeKey, rangeNodes, splitPoint, type NodeId, type TreeNode } from "./shape";
export { consistencyPath, inclusionPath, treeHash } from "./tree";
export { TreeBuilder } from "./builder";
export { leafOfRecord, recordLeafHash, rootOfLeaves, type LeafSource } from "./leaves";
export { buildNodes, resumeBuilder, BUILD_BATCH } from "./build";
export {
  MemoryNodeStore,
  MissingNodeError,
  NodeConflictError,
  TREE_NODES_GUARD,
  treeNodesMigration,
  type NodeReader,
  type NodeStore,
  type NodeWriter,
} from "./nodes";
export {
  consistencyPlan,
  inclusionPlan,
  proveConsistency,
  proveInclusion,
  resolvePlan,
  rootAt,
  type ProofPlan,
} from "./prove";
export {
  headConsistencyProblem,
  signTreeHead,
  treeHeadOf,
  treeHeadPayload,
  treeHeadProblem,
  TREE_HEAD_TYPE,
  TREE_HEAD_VERSION,
  type SignedTreeHead,
  type TreeHead,
  type TreeHeadSigner,
  type TreeHeadVerifier,
} from "./head";
