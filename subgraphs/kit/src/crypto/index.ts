export * from "./keyring";
export * from "./seal";
export * from "./jwks";
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
