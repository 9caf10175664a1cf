export { readAuditConfig, type AuditConfig, type AuditFailureMode, type AnomalyThresholds } from "./config";
export { auditResponse, type AuditScope, type GraphQLFacts } from "./http";
export {
  exportLines,
  readExport,
  writeLinesFile,
  type ExportHeader,
  type ExportEnd,
  type ExportRange,
} from "./export";
export { anomalies, statistics, type Anomaly, type AuditStatistics, type Tally } from "./insights";
export {
  bodyDigest,
  canonicalJson,
  chainEntries,
  recordHash,
  GENESIS_HASH,
  type AuditEntry,
  type AuditKind,
  type AuditOutcome,
  type AuditRecord,
} from "./record";
export { archiveExpired, type ArchivedMonth, type RetentionOptions } from "./retention";
export { AUDIT_SCHEMA, migrateAudit } from "./schema";
export {
  searchRecords,
  subjectHistory,
  type SearchFilter,
  type SearchPage,
  type SubjectAccess,
} from "./search";
export {
  generateSigningKey,
  loadSigningKey,
  parsePublicKeys,
  publicKeyOf,
  type Checkpoint,
  type PublicKeyInfo,
  type SigningKey,
} from "./signing";
export { createAuditStore, type AuditStore, type ArchiveInfo, type ChainHead } from "./store";
export { AuditUnavailableError, openAuditTrail, type AuditTrail, type OpenAuditTrailOptions } from "./trail";
export { verifyChain, type VerifyProblem, type VerifyReport, type ProblemKind } from "./verify";
export { verifyFiles, verifyStore, type VerifyOutcome } from "./verify-sources";
