import { calculateJwkThumbprint } from "jose";
import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createNationalSuite, nationalSuite } from "./national";
import { standardSuite } from "./standard";
import type { CryptoSuite, SuitePublicKey } from "./types";

const DATA = Buffer.from('{"type":"onecert-audit-checkpoint","seq":42}');
const ABC = {
  standard: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  national: "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
};
const other = (suite: CryptoSuite) => (suite === standardSuite ? nationalSuite : standardSuite);

describe.each([standardSuite, nationalSuite])("the $name suite", (suite) => {
  it("digests with its own hash, whole or incrementally", () => {
    expect(suite.digest("abc").toString("hex")).toBe(ABC[suite.name]);
    expect(suite.digest("a", Buffer.from("bc"))).toEqual(suite.digest("abc"));
    expect(suite.createDigest().update("ab").update("c").digest()).toEqual(suite.digest("abc"));
    expect(suite.digest(DATA)).toHaveLength(suite.digestLength);
  });

  it("signs and verifies, and refuses altered data, altered signatures and another key", () => {
    const key = suite.generateKeyPair();
    const signature = suite.sign(key, DATA);
    expect(signature).toHaveLength(suite.signatureLength);
    expect(suite.verify(key.publicKey, DATA, signature)).toBe(true);
    expect(suite.verify(key.publicKey, Buffer.from(`${DATA.toString()} `), signature)).toBe(false);
    const altered = Buffer.from(signature);
    altered[10] ^= 0x80;
    expect(suite.verify(key.publicKey, DATA, altered)).toBe(false);
    expect(suite.verify(key.publicKey, DATA, signature.subarray(1))).toBe(false);
    expect(suite.verify(suite.generateKeyPair().publicKey, DATA, signature)).toBe(false);
  });

  it("refuses keys of the other suite and keys it did not make", () => {
    const foreign = other(suite).generateKeyPair();
    expect(() => suite.sign(foreign, DATA)).toThrow(TypeError);
    expect(suite.verify(foreign.publicKey, DATA, other(suite).sign(foreign, DATA))).toBe(false);
    expect(() => suite.importPrivatePem(foreign.exportPem())).toThrow(/not an? (Ed25519|SM2)/);
    expect(() => suite.importPublicPem(foreign.publicKey.pem)).toThrow(/not an? (Ed25519|SM2)/);
    expect(() => suite.importJwk({ ...foreign.publicKey.jwk })).toThrow(/not an? (Ed25519|SM2)/);
    const key = suite.generateKeyPair();
    const forged: SuitePublicKey = { ...key.publicKey };
    expect(suite.verify(forged, DATA, suite.sign(key, DATA))).toBe(false);
    expect(() => suite.sign({ ...key }, DATA)).toThrow(TypeError);
  });

  it("round-trips keys through PKCS#8 and SPKI PEM that OpenSSL reads too", () => {
    const key = suite.generateKeyPair();
    const reopened = suite.importPrivatePem(key.exportPem());
    expect(reopened.publicKey.jwk).toEqual(key.publicKey.jwk);
    expect(suite.verify(key.publicKey, DATA, suite.sign(reopened, DATA))).toBe(true);
    const publicKey = suite.importPublicPem(key.publicKey.pem);
    expect(publicKey.spki).toEqual(key.publicKey.spki);
    expect(createPrivateKey(key.exportPem()).export({ format: "pem", type: "pkcs8" })).toBe(key.exportPem());
    expect(createPublicKey(key.publicKey.pem).export({ format: "der", type: "spki" })).toEqual(
      key.publicKey.spki,
    );
  });

  it("round-trips public keys through JWK, ignoring kid, alg and use", () => {
    const key = suite.generateKeyPair();
    expect(key.publicKey.jwk).toMatchObject(suite.jwkType);
    const jwk = { ...key.publicKey.jwk, kid: "k1", alg: suite.jwsAlg, use: "sig" };
    const imported = suite.importJwk(jwk);
    expect(suite.verify(imported, DATA, suite.sign(key, DATA))).toBe(true);
    expect(() => suite.importJwk({ ...jwk, x: `${jwk.x}A` })).toThrow();
    expect(() => suite.importJwk({ ...jwk, x: jwk.x.slice(0, -2) })).toThrow();
  });

  it("thumbprints a key the same way each time, with its own digest", async () => {
    const key = suite.generateKeyPair();
    const thumbprint = suite.thumbprint(key.publicKey);
    expect(thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(suite.thumbprint(suite.importJwk(key.publicKey.jwk))).toBe(thumbprint);
    // RFC 7638 with SHA-256 for the standard suite: the key ids the keyring already has stay valid.
    if (suite === standardSuite) expect(await calculateJwkThumbprint(key.publicKey.jwk)).toBe(thumbprint);
  });
});

describe("the national suite's keys", () => {
  it("reads SEC1 PEM (as `openssl ec` writes it) as well as PKCS#8", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "SM2" });
    const sec1 = privateKey.export({ format: "pem", type: "sec1" }).toString();
    const key = nationalSuite.importPrivatePem(sec1);
    expect(key.publicKey.spki).toEqual(publicKey.export({ format: "der", type: "spki" }));
  });

  it("refuses a private key whose stored public point is not its own", () => {
    const der = createPrivateKey(nationalSuite.generateKeyPair().exportPem()).export({
      format: "der",
      type: "pkcs8",
    });
    const other = nationalSuite.generateKeyPair().publicKey.spki.subarray(-65);
    other.copy(der, der.length - 65);
    const pem = createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({
      format: "pem",
      type: "pkcs8",
    });
    expect(() => nationalSuite.importPrivatePem(pem.toString())).toThrow(/damaged/);
  });

  it("signs under the identifier its suite was made with, and nothing else verifies that", () => {
    const alice = createNationalSuite({ distinguishingId: "ALICE123@YAHOO.COM" });
    const key = alice.generateKeyPair();
    const signature = alice.sign(key, DATA);
    expect(alice.verify(key.publicKey, DATA, signature)).toBe(true);
    expect(nationalSuite.verify(key.publicKey, DATA, signature)).toBe(false);
    expect(nationalSuite.verify(key.publicKey, DATA, nationalSuite.sign(key, DATA))).toBe(true);
  });
});
