export {
  createProofKeyStore,
  type ProofKey,
  type ProofKeyStore,
  type ProofKeyStoreOptions,
  type SigningKey,
} from "./keys";
export { JWKS_PATH, serveJwks } from "./jwks";
export { ProofKeyError } from "./seal";
export {
  canonicalJson,
  evidenceDigest,
  PROOF_TYPE,
  signProof,
  verifyProofToken,
  type ProofCheck,
  type ProofStatement,
} from "./tokens";
