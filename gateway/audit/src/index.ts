// The audit trail: every request recorded before its response is sent (write/), the append-only
// hash-chained tables (store/), search, statistics and export (read/), and verification of the
// chain and its signed checkpoints (verify/). The admin API and the CLI use only this entry.
export {
  AUDIT_SETTINGS,
  readAuditConfig,
  type AuditConfig,
  type AuditFailureMode,
  type AnomalyThresholds,
} from "./config";
export {
  auditEdgeRefusal,
  auditResponse,
  type AuditRecorder,
  type AuditScope,
  type GraphQLFacts,
} from "./write/http";
export {
  exportLines,
  readExport,
  writeLinesFile,
  type ExportHeader,
  type ExportEnd,
  type ExportRange,
  ExportFormatError,
} from "./read/export";
export { anomalies, statistics, type Anomaly, type AuditStatistics, type Tally } from "./read/insights";
export { csvHeader, csvLine, ndjsonLine } from "./read/formats";
export { newTrace, type RequestTrace } from "./write/trace";
export { collectResult, collectSubjects, isSubject } from "./write/subjects";
export {
  bodyDigest,
  canonicalJson,
  chainEntries,
  recordHash,
  recordSuite,
  RECORD_VERSION,
  GENESIS_HASH,
  AUDIT_KINDS,
  AUDIT_OUTCOMES,
  type AuditEntry,
  type AuditKind,
  type AuditOutcome,
  type AuditRecord,
} from "./record";
export {
  AUDIT_KEY_PURPOSE,
  KeyRotationUnsupportedError,
  openAuditKeys,
  type AuditKeys,
  type AuditKeySpec,
} from "./write/key-source";
export { archiveExpired, type ArchivedMonth, type RetentionOptions } from "./store/retention";
export { AUDIT_SCHEMA, listPartitions, migrateAudit } from "./store/schema";
export {
  CursorError,
  searchAll,
  searchRecords,
  subjectHistory,
  type SearchFilter,
  type SearchPage,
  type SubjectAccess,
} from "./read/search";
export {
  consistencyProblem,
  headConsistencyProblem,
  inclusionProblem,
  proveConsistency,
  proveInclusion,
  recordLeafHash,
  treeHeadProblem,
  hashSuiteOf,
  SHA256,
  SM3,
  signTreeHead,
  TreeBuilder,
  treeHeadOf,
  treeSuiteByName,
  type HashSuite,
  type SignedTreeHead,
} from "./merkle";
export {
  openWitnessDir,
  witnessHeads,
  witnessRecordHashes,
  witnessRound,
  WitnessAlarm,
  type WitnessDir,
  type WitnessLog,
  type WitnessRound,
} from "./witness";
export {
  checkpointProblem,
  keyIdOf,
  keyMap,
  signCheckpoint,
  treeSigner,
  treeVerifier,
  parsePublicKeys,
  type Checkpoint,
  type PublicKeyInfo,
  type SigningKey,
  type TrustedKeys,
} from "./signing";
export {
  generateSigningKey,
  loadSigningKey,
  openSigningKey,
  publicKeyOf,
  type LoadSigningKeyOptions,
} from "./key-file";
export { createAuditStore, fromRow, type AuditStore, type ArchiveInfo, type ChainHead } from "./store/store";
export {
  AuditUnavailableError,
  openAuditTrail,
  type AuditTrail,
  type OpenAuditTrailOptions,
} from "./write/trail";
export { verifyChain, type VerifyProblem, type VerifyReport, type ProblemKind } from "./verify/verify";
export {
  reconcileAccessLog,
  type ReconcileEntry,
  type ReconcileOptions,
  type ReconcileReport,
} from "./read/reconcile";
export { verifyFiles, verifyStore, type VerifyOutcome } from "./verify/sources";
export { inclusionProofProblem, type InclusionProofFile } from "./verify/proof-file";
