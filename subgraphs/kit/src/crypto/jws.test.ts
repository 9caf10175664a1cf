import { CompactSign, compactVerify } from "jose";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { sm2 as jsSm2 } from "sm-crypto-v2";
import { describe, expect, it } from "vitest";
import { decodeJws, JwsError, signJws, verifyJws, type JwsErrorCode } from "./jws";
import { createNationalSuite, nationalSuite } from "./national";
import { standardSuite } from "./standard";

const PAYLOAD = JSON.stringify({ cert: "residence", sub: "1101**********002X", exp: 1_900_000_000 });
const HEADER = { kid: "k1", typ: "onecert-proof+jwt" };

const codeOf = (run: () => unknown): JwsErrorCode | null => {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof JwsError) return error.code;
    throw error;
  }
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe.each([standardSuite, nationalSuite])("a JWS in the $name suite", (suite) => {
  const key = suite.generateKeyPair();
  const token = signJws(suite, key, HEADER, PAYLOAD);

  it("round-trips header and payload, naming the suite's alg", () => {
    const verified = verifyJws(token, key.publicKey);
    expect(verified.header).toEqual({ ...HEADER, alg: suite.jwsAlg });
    expect(verified.payload.toString()).toBe(PAYLOAD);
    expect(verified.suite).toBe(suite);
    expect(decodeJws(token).signature).toHaveLength(64);
  });

  it("finds its key by kid and says when there is none", () => {
    const keys = new Map([["k1", key.publicKey]]);
    expect(verifyJws(token, (header) => keys.get(header.kid ?? "")).suite).toBe(suite);
    expect(codeOf(() => verifyJws(token, () => undefined))).toBe("JWS_UNKNOWN_KEY");
  });

  it("refuses an altered payload or signature, and another key of the same suite", () => {
    const [header, payload, signature] = token.split(".");
    const altered = b64({ ...(JSON.parse(PAYLOAD) as object), exp: 1_999_999_999 });
    expect(codeOf(() => verifyJws(`${header}.${altered}.${signature}`, key.publicKey))).toBe(
      "JWS_SIGNATURE_INVALID",
    );
    const flipped = Buffer.from(signature, "base64url");
    flipped[5] ^= 1;
    const forged = `${header}.${payload}.${flipped.toString("base64url")}`;
    expect(codeOf(() => verifyJws(forged, key.publicKey))).toBe("JWS_SIGNATURE_INVALID");
    expect(codeOf(() => verifyJws(token, suite.generateKeyPair().publicKey))).toBe("JWS_SIGNATURE_INVALID");
    expect(codeOf(() => verifyJws(`${token}AA`, key.publicKey))).toBe("JWS_SIGNATURE_INVALID");
  });

  it("refuses padding and non-canonical base64url, so one token has one spelling", () => {
    expect(codeOf(() => verifyJws(`${token}==`, key.publicKey))).toBe("JWS_MALFORMED");
    // 64 bytes leave 4 unused bits in the last character: setting one spells the same bytes.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet[alphabet.indexOf(token.at(-1)!) | 1];
    expect(codeOf(() => verifyJws(`${token.slice(0, -1)}${last}`, key.publicKey))).toBe("JWS_MALFORMED");
  });

  it("refuses a token whose alg is not its key's suite", () => {
    const other = suite === standardSuite ? nationalSuite : standardSuite;
    expect(codeOf(() => verifyJws(token, other.generateKeyPair().publicKey))).toBe("JWS_KEY_MISMATCH");
    const [, payload, signature] = token.split(".");
    const relabelled = `${b64({ ...HEADER, alg: other.jwsAlg })}.${payload}.${signature}`;
    expect(codeOf(() => verifyJws(relabelled, key.publicKey))).toBe("JWS_KEY_MISMATCH");
    expect(codeOf(() => verifyJws(token, key.publicKey, { suites: [other] }))).toBe("JWS_UNSUPPORTED_ALG");
    expect(() => signJws(other, key, HEADER, PAYLOAD)).toThrow(TypeError);
    expect(() => signJws(suite, key, { ...HEADER, alg: other.jwsAlg }, PAYLOAD)).toThrow(TypeError);
  });
});

describe("JWS refusals", () => {
  const key = nationalSuite.generateKeyPair();
  const [, payload, signature] = signJws(nationalSuite, key, HEADER, PAYLOAD).split(".");
  const withHeader = (header: unknown) => `${b64(header)}.${payload}.${signature}`;

  it("refuses alg none, HMAC and algorithms of no suite", () => {
    for (const alg of ["none", "HS256", "ES256", "sm2"])
      expect(
        codeOf(() => verifyJws(withHeader({ alg }), key.publicKey)),
        alg,
      ).toBe("JWS_UNSUPPORTED_ALG");
  });

  it("refuses what is not a compact JWS, and extensions it does not know", () => {
    expect(codeOf(() => verifyJws(`${payload}.${signature}`, key.publicKey))).toBe("JWS_MALFORMED");
    expect(codeOf(() => verifyJws(withHeader(["SM2"]), key.publicKey))).toBe("JWS_MALFORMED");
    expect(codeOf(() => verifyJws(withHeader({ kid: "k1" }), key.publicKey))).toBe("JWS_MALFORMED");
    expect(codeOf(() => verifyJws(`e30=.${payload}.${signature}`, key.publicKey))).toBe("JWS_MALFORMED");
    const crit = withHeader({ alg: "SM2", crit: ["exp"], exp: 1 });
    expect(codeOf(() => verifyJws(crit, key.publicKey))).toBe("JWS_MALFORMED");
    expect(() => signJws(nationalSuite, key, { crit: ["b64"], b64: false }, PAYLOAD)).toThrow(TypeError);
  });
});

describe("JWS interoperability", () => {
  it("standard: jose verifies ours and we verify jose's (EdDSA, RFC 8037)", async () => {
    const key = standardSuite.generateKeyPair();
    const ours = signJws(standardSuite, key, HEADER, PAYLOAD);
    const checked = await compactVerify(ours, createPublicKey(key.publicKey.pem));
    expect(Buffer.from(checked.payload).toString()).toBe(PAYLOAD);
    const theirs = await new CompactSign(Buffer.from(PAYLOAD))
      .setProtectedHeader({ alg: "EdDSA", kid: "k1" })
      .sign(createPrivateKey(key.exportPem()));
    expect(verifyJws(theirs, key.publicKey).payload.toString()).toBe(PAYLOAD);
  });

  it("national: the signature is SM2 r || s over the signing input, as sm-crypto-v2 checks it", () => {
    const key = nationalSuite.generateKeyPair();
    const { signingInput, signature } = decodeJws(signJws(nationalSuite, key, HEADER, PAYLOAD));
    const point = key.publicKey.spki.subarray(-65).toString("hex");
    const hex = signature.toString("hex");
    expect(jsSm2.doVerifySignature(signingInput, hex, point, { hash: true, der: false })).toBe(true);
    const theirs = jsSm2.generateKeyPairHex();
    const publicKey = nationalSuite.importPublicPem(
      `-----BEGIN PUBLIC KEY-----\n${Buffer.concat([key.publicKey.spki.subarray(0, -65), Buffer.from(theirs.publicKey, "hex")]).toString("base64")}\n-----END PUBLIC KEY-----\n`,
    );
    const input = `${b64({ alg: "SM2", kid: "theirs" })}.${Buffer.from(PAYLOAD).toString("base64url")}`;
    const signed = jsSm2.doSignature(input, theirs.privateKey, { hash: true, der: false });
    const token = `${input}.${Buffer.from(signed, "hex").toString("base64url")}`;
    expect(verifyJws(token, publicKey).payload.toString()).toBe(PAYLOAD);
  });

  it("national: a suite with another identifier is accepted only when passed in", () => {
    const alice = createNationalSuite({ distinguishingId: "ALICE123@YAHOO.COM" });
    const key = alice.generateKeyPair();
    const token = signJws(alice, key, HEADER, PAYLOAD);
    expect(codeOf(() => verifyJws(token, key.publicKey))).toBe("JWS_SIGNATURE_INVALID");
    expect(verifyJws(token, key.publicKey, { suites: [alice] }).suite).toBe(alice);
  });
});
