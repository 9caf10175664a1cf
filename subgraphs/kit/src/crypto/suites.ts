// The crypto suites alone, without the keyring's database or the JWKS route: what a bundled
// verifier (the audit log's standalone one) may include without pulling in the server's
// dependencies (Apollo, the database drivers).
export * from "./types";
export * from "./suite";
export { standardSuite } from "./standard";
export { nationalSuite, SM2_JWS_ALG } from "./national";
export { KeyUnavailableError, seal, unseal } from "./seal";
