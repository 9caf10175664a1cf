export {
  createProofKeyStore,
  PROOF_KEY_PURPOSE,
  type ProofKeyStore,
  type ProofKeyStoreOptions,
} from "./keys";
export {
  canonicalJson,
  evidenceDigest,
  PROOF_TYPE,
  signProof,
  verifyProofToken,
  type ProofCheck,
  type ProofStatement,
} from "./tokens";
