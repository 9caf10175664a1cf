import { createPrivateKey, createPublicKey } from "node:crypto";
import { decodeBase64url, fromPem, startsWith, thumbprintInput, toPem } from "./encoding";
import { sm2, SM2_DEFAULT_ID, type Sm2Signer, type Sm2Verifier } from "./sm2";
import { createSm3, sm3 } from "./sm3";
import type { AnyJwk, CryptoSuite, SuitePrivateKey, SuitePublicKey } from "./types";

// The DER of an SM2 key as OpenSSL writes it: id-ecPublicKey with the named curve sm2p256v1
// (1.2.156.10197.1.301), then the 32-byte scalar and the 65-byte point. One layout, one spelling.
const ALGORITHM = "301306072a8648ce3d020106082a811ccf5501822d";
const SPKI_PREFIX = Buffer.from(`3059${ALGORITHM}034200`, "hex");
const PKCS8_PREFIX = Buffer.from(`308187020100${ALGORITHM}046d306b0201010420`, "hex");
const PKCS8_POINT = Buffer.from("a144034200", "hex");
const SPKI_LENGTH = SPKI_PREFIX.length + 65;
const PKCS8_LENGTH = PKCS8_PREFIX.length + 32 + PKCS8_POINT.length + 65;

/**
 * The JWS `alg` of SM2-with-SM3 signatures. JOSE registers none: "SM2" is what Chinese JWT
 * implementations write and what the expired draft "Using SM2 with JOSE and COSE" names, so other
 * verifiers recognise it. Its meaning here is pinned: e = SM3(Z || signing input), Z over
 * SM2_DEFAULT_ID, signature r || s in 64 bytes as for ES256 (docs/crypto-suites.md has the survey).
 */
export const SM2_JWS_ALG = "SM2";

// The point (public keys) or scalar (private keys) behind each key this suite made.
const material = new WeakMap<SuitePublicKey | SuitePrivateKey, Buffer>();

function wrapPublic(point: Buffer): SuitePublicKey {
  let canonical: Buffer;
  try {
    canonical = sm2.verifier(point).publicKey;
  } catch {
    throw new Error("the public key is not a point on the SM2 curve");
  }
  const spki = Buffer.concat([SPKI_PREFIX, canonical]);
  const jwk = Object.freeze({
    kty: "EC" as const,
    crv: "SM2" as const,
    x: canonical.subarray(1, 33).toString("base64url"),
    y: canonical.subarray(33).toString("base64url"),
  });
  const wrapped: SuitePublicKey = Object.freeze({
    suite: "national",
    jwk,
    spki,
    pem: toPem("PUBLIC KEY", spki),
  });
  material.set(wrapped, canonical);
  return wrapped;
}

function wrapPrivate(scalar: Buffer, point = sm2.publicKeyOf(scalar)): SuitePrivateKey {
  const secret = Buffer.from(scalar);
  const publicKey = wrapPublic(point);
  const der = () => Buffer.concat([PKCS8_PREFIX, secret, PKCS8_POINT, material.get(publicKey)!]);
  const wrapped: SuitePrivateKey = Object.freeze({
    suite: "national",
    publicKey,
    exportPem: () => toPem("PRIVATE KEY", der()),
  });
  material.set(wrapped, secret);
  return wrapped;
}

/** The one PKCS#8 layout, read directly; other encodings (SEC1, ...) go through OpenSSL first. */
function privateFromPem(pem: string): SuitePrivateKey {
  let der = fromPem(pem, "PRIVATE KEY");
  if (!der || der.length !== PKCS8_LENGTH || !startsWith(der, PKCS8_PREFIX)) {
    try {
      der = createPrivateKey(pem).export({ format: "der", type: "pkcs8" });
    } catch {
      throw new Error("the private key is not a readable PEM key");
    }
  }
  if (der.length !== PKCS8_LENGTH || !startsWith(der, PKCS8_PREFIX))
    throw new Error("the private key is not an SM2 key (the national suite's)");
  const scalar = der.subarray(PKCS8_PREFIX.length, PKCS8_PREFIX.length + 32);
  const point = der.subarray(PKCS8_LENGTH - 65);
  const derived = sm2.publicKeyOf(scalar);
  if (!derived.equals(point))
    throw new Error("the SM2 private key is damaged: its public point does not match");
  return wrapPrivate(scalar, derived);
}

function publicFromPem(pem: string): SuitePublicKey {
  let der = fromPem(pem, "PUBLIC KEY");
  if (!der || der.length !== SPKI_LENGTH || !startsWith(der, SPKI_PREFIX)) {
    try {
      der = createPublicKey(pem).export({ format: "der", type: "spki" });
    } catch {
      throw new Error("the public key is not a readable PEM key");
    }
  }
  if (der.length !== SPKI_LENGTH || !startsWith(der, SPKI_PREFIX))
    throw new Error("the public key is not an SM2 key (the national suite's)");
  return wrapPublic(Buffer.from(der.subarray(SPKI_PREFIX.length)));
}

export interface NationalSuiteOptions {
  /**
   * The signer's distinguishing identifier in Z. Default SM2_DEFAULT_ID ("1234567812345678"),
   * which every OneCert artefact uses: a verifier must be told any other value out of band.
   */
  distinguishingId?: string;
}

/**
 * SM2 signatures with SM3 (GB/T 32918.2 / GM/T 0003.2: e = SM3(Z || M), Z over the identifier,
 * the curve and the signer's key) and SM3 digests (GB/T 32905). JWS alg "SM2", JWK EC/SM2.
 */
export function createNationalSuite(options: NationalSuiteOptions = {}): CryptoSuite {
  const id = options.distinguishingId ?? SM2_DEFAULT_ID;
  // Z depends on key and identifier only: worked out once per key, not per signature.
  const signers = new WeakMap<SuitePrivateKey, Sm2Signer>();
  const verifiers = new WeakMap<SuitePublicKey, Sm2Verifier>();
  const suite: CryptoSuite = {
    name: "national",
    digestName: "sm3",
    digestLength: 32,
    jwsAlg: SM2_JWS_ALG,
    jwkType: Object.freeze({ kty: "EC", crv: "SM2" }),
    signatureLength: 64,
    digest: (...parts) => sm3(...parts),
    createDigest: createSm3,
    generateKeyPair: () => wrapPrivate(sm2.generatePrivateKey()),
    sign(key, data) {
      let signer = signers.get(key);
      if (!signer) {
        const scalar = key.suite === "national" ? material.get(key) : undefined;
        if (!scalar || scalar.length !== 32) throw new TypeError("not a private key of the national suite");
        signer = sm2.signer(scalar, id);
        signers.set(key, signer);
      }
      return signer.sign(data);
    },
    verify(key, data, signature) {
      let verifier = verifiers.get(key);
      if (!verifier) {
        const point = key.suite === "national" ? material.get(key) : undefined;
        if (!point || point.length !== 65) return false;
        verifier = sm2.verifier(point, id);
        verifiers.set(key, verifier);
      }
      return verifier.verify(data, signature);
    },
    importPrivatePem: privateFromPem,
    importPublicPem: publicFromPem,
    importJwk(jwk: AnyJwk) {
      const x = decodeBase64url(jwk.x);
      const y = decodeBase64url(jwk.y);
      if (jwk.kty !== "EC" || jwk.crv !== "SM2" || x?.length !== 32 || y?.length !== 32)
        throw new Error("the JWK is not an SM2 public key (kty EC, crv SM2, 32-byte x and y)");
      return wrapPublic(Buffer.concat([Buffer.from([4]), x, y]));
    },
    thumbprint: (key) => sm3(thumbprintInput(key.jwk)).toString("base64url"),
  };
  return Object.freeze(suite);
}

/** The national suite under the default identifier, as `suiteByName("national")` gives it. */
export const nationalSuite: CryptoSuite = createNationalSuite();
