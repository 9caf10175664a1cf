import type { Hash } from "node:crypto";
import type { DigestInput } from "./sm3";

/**
 * The algorithms a deployment signs and hashes with. Every artefact names the suite it was made
 * in (a checkpoint or record field, a JWS `alg`, a JWK `kty`/`crv`), and verifiers pick the suite
 * from the artefact, never from their own setting: a log that switched suite still verifies.
 */
export type SuiteName = "standard" | "national";

export const SUITE_NAMES: readonly SuiteName[] = ["standard", "national"];

/** A public key as a JWK carries it: `kty`, `crv`, `x` (and `y` for EC), no kid/alg/use. */
export interface PublicJwk {
  kty: "OKP" | "EC";
  crv: "Ed25519" | "SM2";
  x: string;
  y?: string;
}

/** A public key of one suite, made by that suite (plain objects are refused). */
export interface SuitePublicKey {
  readonly suite: SuiteName;
  readonly jwk: PublicJwk;
  /** SubjectPublicKeyInfo, DER: what key ids are derived from. */
  readonly spki: Buffer;
  /** The SPKI as PEM ("PUBLIC KEY"), what key files and exports carry. */
  readonly pem: string;
}

/** A private key of one suite; open it once and keep it, as parsing is the slow part. */
export interface SuitePrivateKey {
  readonly suite: SuiteName;
  readonly publicKey: SuitePublicKey;
  /** PKCS#8 PEM ("PRIVATE KEY"), what the keyring seals and key files hold. */
  exportPem(): string;
}

/** A JSON Web Key as received: only these members are read, others (kid, alg, use, ...) ignored. */
export interface AnyJwk {
  readonly kty?: unknown;
  readonly crv?: unknown;
  readonly x?: unknown;
  readonly y?: unknown;
}

/** Signatures and digests of one suite; callers hold one and never branch on which it is. */
export interface CryptoSuite {
  readonly name: SuiteName;
  /** "sha256" or "sm3": names the digest in artefacts (e.g. "sm3:<hex>"). */
  readonly digestName: "sha256" | "sm3";
  /** Bytes of a digest: 32 in both suites. */
  readonly digestLength: number;
  /** The JWS `alg` of its signatures: "EdDSA", or "SM2" (see docs/crypto-suites.md). */
  readonly jwsAlg: "EdDSA" | "SM2";
  /** The JWK `kty` and `crv` of its keys. */
  readonly jwkType: { readonly kty: PublicJwk["kty"]; readonly crv: PublicJwk["crv"] };
  /** Bytes of a signature: 64 in both suites (Ed25519's R || S, SM2's r || s). */
  readonly signatureLength: number;
  /** Digest of the concatenation of `parts` (text as UTF-8). */
  digest(...parts: readonly DigestInput[]): Buffer;
  /** An incremental hash of the suite's digest, for large or streamed input. */
  createDigest(): Hash;
  generateKeyPair(): SuitePrivateKey;
  /** Throws when `key` is not a key of this suite. */
  sign(key: SuitePrivateKey, data: Uint8Array): Buffer;
  /** False for a bad signature or a key of another suite; never throws on the signature. */
  verify(key: SuitePublicKey, data: Uint8Array, signature: Uint8Array): boolean;
  /** PKCS#8 (or SEC1 for SM2) PEM; throws when it is not a key of this suite. */
  importPrivatePem(pem: string): SuitePrivateKey;
  /** SPKI PEM; throws when it is not a key of this suite. */
  importPublicPem(pem: string): SuitePublicKey;
  /** A public JWK of this suite's `kty`/`crv`; other members are ignored. */
  importJwk(jwk: AnyJwk): SuitePublicKey;
  /** RFC 7638 thumbprint (base64url) computed with this suite's digest: a key id for the JWKS. */
  thumbprint(key: SuitePublicKey): string;
}
