import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sm2, SM2_DEFAULT_ID, SM2_P256, sm2On, type Sm2Curve } from "./sm2";
import { sm3 } from "./sm3";

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ""), "hex");
const big = (text: string) => BigInt(`0x${text.replace(/\s/g, "")}`);
const MESSAGE = Buffer.from("message digest");

// GM/T 0003.5-2012 appendix A.2 (reproduced in GmSSL and gmsm): the recommended curve, ID 1234567812345678.
const RECOMMENDED = {
  d: hex("3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8"),
  publicKey: hex(
    "04 09F9DF31 1E5421A1 50DD7D16 1E4BC5C6 72179FAD 1833FC07 6BB08FF3 56F35020" +
      "CCEA490C E26775A5 2DC6EA71 8CC1AA60 0AED05FB F35E084A 6632F607 2DA9AD13",
  ),
  za: "b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3",
  e: "f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640",
  k: big("59276E27 D506861A 16680F3A D9C02DCC EF3CC1FA 3CDBE4CE 6D54B80D EAC1BC21"),
  signature:
    "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3" +
    "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa",
};

// GB/T 32918.2-2016 appendix A (as in draft-shen-sm2-ecdsa and Botan's sm2_sig.vec): the example
// 256-bit curve, ID ALICE123@YAHOO.COM.
const EXAMPLE_CURVE: Sm2Curve = {
  p: big("8542D69E 4C044F18 E8B92435 BF6FF7DE 45728391 5C45517D 722EDB8B 08F1DFC3"),
  a: big("787968B4 FA32C3FD 2417842E 73BBFEFF 2F3C848B 6831D7E0 EC65228B 3937E498"),
  b: big("63E4C6D3 B23B0C84 9CF84241 484BFE48 F61D59A5 B16BA06E 6E12D1DA 27C5249A"),
  n: big("8542D69E 4C044F18 E8B92435 BF6FF7DD 29772063 0485628D 5AE74EE7 C32E79B7"),
  Gx: big("421DEBD6 1B62EAB6 746434EB C3CC315E 32220B3B ADD50BDC 4C4E6C14 7FEDD43D"),
  Gy: big("0680512B CBB42C07 D47349D2 153B70C4 E5D7FDFC BFA36EA1 A85841B9 E46E09A2"),
};
const EXAMPLE = {
  id: "ALICE123@YAHOO.COM",
  d: hex("128B2FA8 BD433C6C 068C8D80 3DFF7979 2A519A55 171B1B65 0C23661D 15897263"),
  e: "b524f552cd82b8b028476e005c377fb19a87e6fc682d48bb5d42e3d9b9effe76",
  k: big("6CB28D99 385C175C 94F94E93 4817663F C176D925 DD72B727 260DBAAE 1FB2F96F"),
  signature:
    "40f1ec59f793d9f49e09dcef49130d4194f79fb1eed2caa55bacdb49c4e755d1" +
    "6fc6dac32c5d5cf10c77dfb20f7c2eb667a457872fb09ec56327a67ec7deebe7",
};

describe("SM2 known answers", () => {
  it("reproduces GM/T 0003.5 A.2 on the recommended curve: key, Z, e and (r, s)", () => {
    const publicKey = sm2.publicKeyOf(RECOMMENDED.d);
    expect(publicKey).toEqual(RECOMMENDED.publicKey);
    const za = sm2.za(publicKey, SM2_DEFAULT_ID);
    expect(za.toString("hex")).toBe(RECOMMENDED.za);
    expect(sm3(za, MESSAGE).toString("hex")).toBe(RECOMMENDED.e);
    const signer = sm2On(SM2_P256, { nonce: () => RECOMMENDED.k }).signer(RECOMMENDED.d);
    expect(signer.sign(MESSAGE).toString("hex")).toBe(RECOMMENDED.signature);
    expect(sm2.verifier(publicKey).verify(MESSAGE, hex(RECOMMENDED.signature))).toBe(true);
  });

  it("reproduces GB/T 32918.2 appendix A on the standard's example curve", () => {
    const example = sm2On(EXAMPLE_CURVE, { nonce: () => EXAMPLE.k });
    const publicKey = example.publicKeyOf(EXAMPLE.d);
    expect(sm3(example.za(publicKey, EXAMPLE.id), MESSAGE).toString("hex")).toBe(EXAMPLE.e);
    expect(example.signer(EXAMPLE.d, EXAMPLE.id).sign(MESSAGE).toString("hex")).toBe(EXAMPLE.signature);
    expect(example.verifier(publicKey, EXAMPLE.id).verify(MESSAGE, hex(EXAMPLE.signature))).toBe(true);
    expect(example.verifier(publicKey).verify(MESSAGE, hex(EXAMPLE.signature))).toBe(false);
  });
});

describe("SM2 sign and verify", () => {
  const d = sm2.generatePrivateKey();
  const signer = sm2.signer(d);
  const verifier = sm2.verifier(signer.publicKey);

  it("round-trips, with a fresh nonce each time", () => {
    for (const message of [Buffer.alloc(0), MESSAGE, randomBytes(1000)]) {
      const signature = signer.sign(message);
      expect(signature).toHaveLength(64);
      expect(verifier.verify(message, signature)).toBe(true);
      expect(signer.sign(message)).not.toEqual(signature);
    }
  });

  it("refuses altered signatures and messages, another key and another identifier", () => {
    const signature = signer.sign(MESSAGE);
    for (const index of [0, 31, 32, 63]) {
      const altered = Buffer.from(signature);
      altered[index] ^= 0x01;
      expect(verifier.verify(MESSAGE, altered), `byte ${index}`).toBe(false);
    }
    expect(verifier.verify(Buffer.from("message digesT"), signature)).toBe(false);
    expect(sm2.verifier(sm2.publicKeyOf(sm2.generatePrivateKey())).verify(MESSAGE, signature)).toBe(false);
    expect(sm2.verifier(signer.publicKey, "ALICE123@YAHOO.COM").verify(MESSAGE, signature)).toBe(false);
    expect(sm2.verifier(signer.publicKey, "").verify(MESSAGE, signature)).toBe(false);
  });

  it("refuses r or s out of [1, n-1] and signatures of the wrong length", () => {
    const n = hex(SM2_P256.n.toString(16));
    const signature = signer.sign(MESSAGE);
    const r = signature.subarray(0, 32);
    const s = signature.subarray(32);
    for (const bad of [
      Buffer.concat([Buffer.alloc(32), s]),
      Buffer.concat([r, Buffer.alloc(32)]),
      Buffer.concat([n, s]),
      Buffer.concat([r, n]),
      Buffer.concat([Buffer.alloc(32, 0xff), s]),
      signature.subarray(0, 63),
      Buffer.concat([signature, Buffer.alloc(1)]),
    ])
      expect(verifier.verify(MESSAGE, bad)).toBe(false);
  });

  it("refuses private keys outside [1, n-2] and public points off the curve", () => {
    const nMinus1 = hex((SM2_P256.n - 1n).toString(16));
    for (const bad of [Buffer.alloc(32), nMinus1, Buffer.alloc(31, 1)])
      expect(() => sm2.signer(bad)).toThrow(RangeError);
    const offCurve = Buffer.from(signer.publicKey);
    offCurve[64] ^= 0x01;
    expect(() => sm2.verifier(offCurve)).toThrow();
  });
});
