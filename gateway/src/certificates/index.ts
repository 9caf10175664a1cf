export { loadCertificatesConfig, type CertificatesConfig } from "./config";
export { startCertificates, type RunningCertificates } from "./server";
export { certificatesSubgraph, type ServiceSubgraph } from "./schema";
export { CatalogueError } from "./catalogue";
export { CERTIFICATES_SCHEMA, certificateMigrations } from "./migrations";
export { createProofKeyStore, JWKS_PATH, serveJwks, verifyProofToken, type ProofKeyStore } from "./proofs";
