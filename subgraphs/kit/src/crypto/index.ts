export * from "./keyring";
export * from "./seal";
export * from "./jwks";
export * from "./types";
export * from "./suite";
export * from "./jws";
export { standardSuite } from "./standard";
export { createNationalSuite, nationalSuite, SM2_JWS_ALG, type NationalSuiteOptions } from "./national";
export {
  sm2,
  SM2_DEFAULT_ID,
  SM2_P256,
  type Sm2,
  type Sm2Curve,
  type Sm2Signer,
  type Sm2Verifier,
} from "./sm2";
export { createSm3, sm3, type DigestInput } from "./sm3";
export * from "./jwt";
