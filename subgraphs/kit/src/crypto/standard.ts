import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";
import { decodeBase64url, thumbprintInput, toPem } from "./encoding";
import type { AnyJwk, CryptoSuite, SuitePrivateKey, SuitePublicKey } from "./types";

// The Node key behind each key this suite made; a key of another suite is not in it.
const opened = new WeakMap<SuitePublicKey | SuitePrivateKey, KeyObject>();

function wrapPublic(key: KeyObject): SuitePublicKey {
  const spki = key.export({ format: "der", type: "spki" });
  const { x } = key.export({ format: "jwk" });
  const wrapped: SuitePublicKey = Object.freeze({
    suite: "standard",
    jwk: Object.freeze({ kty: "OKP", crv: "Ed25519", x: String(x) }),
    spki,
    pem: toPem("PUBLIC KEY", spki),
  });
  opened.set(wrapped, key);
  return wrapped;
}

function wrapPrivate(key: KeyObject): SuitePrivateKey {
  const wrapped: SuitePrivateKey = Object.freeze({
    suite: "standard",
    publicKey: wrapPublic(createPublicKey(key)),
    exportPem: () => key.export({ format: "pem", type: "pkcs8" }).toString(),
  });
  opened.set(wrapped, key);
  return wrapped;
}

function parsed(what: string, parse: () => KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = parse();
  } catch {
    throw new Error(`the ${what} is not a readable PEM or JWK key`);
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new Error(`the ${what} is not an Ed25519 key (the standard suite's)`);
  return key;
}

/** Ed25519 signatures (RFC 8032, JWS alg EdDSA, JWK OKP/Ed25519) and SHA-256 digests. */
export const standardSuite: CryptoSuite = Object.freeze({
  name: "standard",
  digestName: "sha256",
  digestLength: 32,
  jwsAlg: "EdDSA",
  jwkType: Object.freeze({ kty: "OKP", crv: "Ed25519" }),
  signatureLength: 64,
  digest(...parts) {
    const hash = createHash("sha256");
    for (const part of parts) hash.update(part);
    return hash.digest();
  },
  createDigest: () => createHash("sha256"),
  generateKeyPair: () => wrapPrivate(generateKeyPairSync("ed25519").privateKey),
  sign(key, data) {
    const node = opened.get(key);
    if (!node || node.type !== "private") throw new TypeError("not a private key of the standard suite");
    return sign(null, data, node);
  },
  verify(key, data, signature) {
    const node = opened.get(key);
    if (!node || signature.length !== 64) return false;
    try {
      return verify(null, data, node, signature);
    } catch {
      return false;
    }
  },
  importPrivatePem: (pem) => wrapPrivate(parsed("private key", () => createPrivateKey(pem))),
  importPublicPem: (pem) => wrapPublic(parsed("public key", () => createPublicKey(pem))),
  importJwk(jwk: AnyJwk) {
    const x = decodeBase64url(jwk.x);
    if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || x?.length !== 32)
      throw new Error("the JWK is not an Ed25519 public key (kty OKP, crv Ed25519, 32-byte x)");
    const key = { kty: "OKP", crv: "Ed25519", x: x.toString("base64url") };
    return wrapPublic(parsed("JWK", () => createPublicKey({ key, format: "jwk" })));
  },
  thumbprint: (key) => standardSuite.digest(thumbprintInput(key.jwk)).toString("base64url"),
} satisfies CryptoSuite);
