export {
  CERTIFICATES_SETTINGS,
  loadCertificatesConfig,
  type CertificatesConfig,
  type CertificatesSupergraph,
} from "./config";
export { startCertificates, type RunningCertificates } from "./server";
export { checkFigures, type CheckFigures, type MatterFigures } from "./stats/read";
export { certificatesSubgraph } from "./schema";
export { CatalogueError } from "@onecert/catalogue";
export { CERTIFICATES_SCHEMA, certificateMigrations, migrateCertificates } from "./migrations";
export {
  createProofKeyStore,
  PROOF_KEY_PURPOSE,
  verifyProofToken,
  type ProofCheck,
  type ProofKeyStore,
} from "./proofs";
