import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { sm2 as jsSm2 } from "sm-crypto-v2";
import { describe, expect, it } from "vitest";
import { nationalSuite } from "./national";
import { sm2, SM2_DEFAULT_ID } from "./sm2";

const MESSAGE = Buffer.from("电子证照 proof of residence");

/** r || s from DER's SEQUENCE { INTEGER r, INTEGER s }, each left-padded to 32 bytes. */
function fromDer(der: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 2;
  for (let i = 0; i < 2; i++) {
    const length = der[at + 1];
    const value = der.subarray(at + 2, at + 2 + length);
    parts.push(Buffer.concat([Buffer.alloc(32), value]).subarray(-32));
    at += 2 + length;
  }
  return Buffer.concat(parts);
}

/** DER of r || s, for handing our signature to OpenSSL. */
function toDer(signature: Buffer): Buffer {
  const integer = (value: Buffer) => {
    let bytes = value;
    while (bytes.length > 1 && bytes[0] === 0 && bytes[1] < 0x80) bytes = bytes.subarray(1);
    if (bytes[0] >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  };
  const body = Buffer.concat([integer(signature.subarray(0, 32)), integer(signature.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

describe("SM2 against sm-crypto-v2 (an independent implementation)", () => {
  it("verifies what it signs, under the default identifier and a chosen one", () => {
    const { privateKey, publicKey } = jsSm2.generateKeyPairHex();
    for (const userId of [undefined, "ALICE123@YAHOO.COM"]) {
      const theirs = jsSm2.doSignature(MESSAGE, privateKey, { hash: true, der: false, userId });
      const verifier = sm2.verifier(Buffer.from(publicKey, "hex"), userId ?? SM2_DEFAULT_ID);
      expect(verifier.verify(MESSAGE, Buffer.from(theirs, "hex"))).toBe(true);
      const wrongId = sm2.verifier(
        Buffer.from(publicKey, "hex"),
        userId ? SM2_DEFAULT_ID : "ALICE123@YAHOO.COM",
      );
      expect(wrongId.verify(MESSAGE, Buffer.from(theirs, "hex"))).toBe(false);
    }
  });

  it("accepts what we sign, and refuses it under another identifier", () => {
    const d = sm2.generatePrivateKey();
    const publicKey = sm2.publicKeyOf(d).toString("hex");
    for (const userId of [undefined, "ALICE123@YAHOO.COM"]) {
      const ours = sm2.signer(d, userId).sign(MESSAGE).toString("hex");
      expect(jsSm2.doVerifySignature(MESSAGE, ours, publicKey, { hash: true, der: false, userId })).toBe(
        true,
      );
      const otherId = userId ? undefined : "ALICE123@YAHOO.COM";
      expect(
        jsSm2.doVerifySignature(MESSAGE, ours, publicKey, { hash: true, der: false, userId: otherId }),
      ).toBe(false);
    }
  });

  it("derives the same public key, and a signature by another key is refused", () => {
    const key = nationalSuite.generateKeyPair();
    const theirs = jsSm2.doSignature(MESSAGE, jsSm2.generateKeyPairHex().privateKey, { hash: true });
    expect(nationalSuite.verify(key.publicKey, MESSAGE, Buffer.from(theirs, "hex"))).toBe(false);
    const d = sm2.generatePrivateKey();
    expect(jsSm2.getPublicKeyFromPrivateKey(d.toString("hex"))).toBe(sm2.publicKeyOf(d).toString("hex"));
  });
});

describe("SM2 against Node's OpenSSL", () => {
  it("interoperates under the identifier OpenSSL uses, which is not GM/T 0009's default", () => {
    // Node cannot set OpenSSL's distid, so OpenSSL signs under its own fallback (the empty
    // identifier in OpenSSL 3.0): proof that the signing here cannot be left to Node.
    const key = nationalSuite.generateKeyPair();
    const openssl = createPrivateKey(key.exportPem());
    const opensslPublic = createPublicKey(key.publicKey.pem);
    const point = key.publicKey.spki.subarray(-65);
    const theirs = fromDer(sign("sm3", MESSAGE, openssl));
    const ids = ["", SM2_DEFAULT_ID].filter((id) => sm2.verifier(point, id).verify(MESSAGE, theirs));
    expect(ids).toHaveLength(1);
    expect(nationalSuite.verify(key.publicKey, MESSAGE, theirs)).toBe(ids[0] === SM2_DEFAULT_ID);
    const d = createPrivateKey(key.exportPem()).export({ format: "der", type: "pkcs8" }).subarray(36, 68);
    const ours = sm2.signer(d, ids[0]).sign(MESSAGE);
    expect(verify("sm3", MESSAGE, opensslPublic, toDer(ours))).toBe(true);
    expect(verify("sm3", MESSAGE, opensslPublic, toDer(nationalSuite.sign(key, MESSAGE)))).toBe(
      ids[0] === SM2_DEFAULT_ID,
    );
  });

  it("refuses what Node signs with a freshly generated SM2-curve key: that is ECDSA, not SM2", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "SM2" });
    const point = publicKey.export({ format: "der", type: "spki" }).subarray(-65);
    const ecdsa = sign("sm3", MESSAGE, { key: privateKey, dsaEncoding: "ieee-p1363" });
    expect(verify("sm3", MESSAGE, { key: publicKey, dsaEncoding: "ieee-p1363" }, ecdsa)).toBe(true);
    expect(sm2.verifier(point).verify(MESSAGE, ecdsa)).toBe(false);
    expect(sm2.verifier(point, "").verify(MESSAGE, ecdsa)).toBe(false);
  });
});
