import { describe, expect, it } from "vitest";
import { signJws } from "./jws";
import {
  JwtError,
  signJwt,
  verifyJwt,
  type JwtClaims,
  type JwtErrorCode,
  type VerifyJwtOptions,
} from "./jwt";
import { nationalSuite } from "./national";
import { standardSuite } from "./standard";

const TYP = "onecert-test+jwt";
// A fixed clock, so that "expired" and "not yet valid" do not depend on when the test runs.
const NOW = new Date("2030-06-01T12:00:00Z");
const T = NOW.getTime() / 1000;

const codeOf = (run: () => unknown): JwtErrorCode | null => {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof JwtError) return error.code;
    throw error;
  }
};

describe.each([standardSuite, nationalSuite])("a JWT in the $name suite", (suite) => {
  const key = suite.generateKeyPair();
  const other = suite.generateKeyPair();
  const base: JwtClaims = { iss: "gw", aud: "population", jti: "a1", iat: T, exp: T + 30, sub: "x" };
  const sign = (claims: JwtClaims = base, typ = TYP, signer = key) =>
    signJwt(suite, signer, { kid: "k1", typ }, claims);
  const options: VerifyJwtOptions = { typ: TYP, issuer: "gw", audience: "population", now: NOW };
  const verify = (token: string, extra: Partial<VerifyJwtOptions> = {}) =>
    verifyJwt(token, (header) => (header.kid === "k1" ? key.publicKey : undefined), {
      ...options,
      ...extra,
    });

  it("round-trips its claims and header, naming the suite that verified it", () => {
    const verified = verify(sign());
    expect(verified.claims).toEqual(base);
    expect(verified.header).toEqual({ alg: suite.jwsAlg, kid: "k1", typ: TYP });
    expect(verified.suite).toBe(suite);
  });

  it("refuses an expired token, with the leeway granted and no more", () => {
    const token = sign({ ...base, iat: T - 60, exp: T - 10 });
    expect(codeOf(() => verify(token))).toBe("JWT_EXPIRED");
    expect(codeOf(() => verify(token, { leewaySeconds: 11 }))).toBeNull();
    expect(codeOf(() => verify(sign({ ...base, exp: T - 3 })))).toBeNull();
  });

  it("refuses a token before its nbf, or issued in the future", () => {
    expect(codeOf(() => verify(sign({ ...base, nbf: T + 20, exp: T + 50 })))).toBe("JWT_NOT_YET_VALID");
    expect(codeOf(() => verify(sign({ ...base, iat: T + 20, exp: T + 50 })))).toBe("JWT_NOT_YET_VALID");
  });

  it("refuses a token for another audience or from another issuer", () => {
    expect(codeOf(() => verify(sign({ ...base, aud: "property" })))).toBe("JWT_AUDIENCE");
    expect(codeOf(() => verify(sign({ ...base, iss: "someone-else" })))).toBe("JWT_ISSUER");
    const { aud: _aud, ...noAudience } = base;
    expect(codeOf(() => verify(sign(noAudience)))).toBe("JWT_AUDIENCE");
  });

  it("refuses a token of another type, before even looking for its key", () => {
    let asked = false;
    const token = sign(base, "onecert-proof+jwt");
    const run = () =>
      verifyJwt(
        token,
        () => {
          asked = true;
          return key.publicKey;
        },
        options,
      );
    expect(codeOf(run)).toBe("JWT_WRONG_TYPE");
    expect(asked).toBe(false);
  });

  it("refuses a tampered payload, and a token signed by another key", () => {
    const [header, , signature] = sign().split(".");
    const altered = Buffer.from(JSON.stringify({ ...base, aud: "property" })).toString("base64url");
    expect(codeOf(() => verify(`${header}.${altered}.${signature}`, { audience: "property" }))).toBe(
      "JWS_SIGNATURE_INVALID",
    );
    expect(codeOf(() => verify(sign(base, TYP, other)))).toBe("JWS_SIGNATURE_INVALID");
    expect(codeOf(() => verifyJwt(sign(), () => undefined, options))).toBe("JWS_UNKNOWN_KEY");
  });

  it("refuses a lifetime over the bound, missing or non-numeric claims, and non-object claims", () => {
    expect(codeOf(() => verify(sign({ ...base, exp: T + 61 }), { maxLifetimeSeconds: 60 }))).toBe(
      "JWT_TOO_LONG",
    );
    expect(codeOf(() => verify(sign({ ...base, exp: T + 60 }), { maxLifetimeSeconds: 60 }))).toBeNull();
    const { exp: _exp, ...noExpiry } = base;
    expect(codeOf(() => verify(sign(noExpiry)))).toBe("JWT_CLAIMS_MALFORMED");
    expect(codeOf(() => verify(sign({ ...base, exp: "soon" } as unknown as typeof base)))).toBe(
      "JWT_CLAIMS_MALFORMED",
    );
    expect(codeOf(() => verify(sign(base), { required: ["jti", "nonce"] }))).toBe("JWT_CLAIMS_MALFORMED");
    const array = signJws(suite, key, { kid: "k1", typ: TYP }, "[1,2]");
    expect(codeOf(() => verify(array))).toBe("JWT_CLAIMS_MALFORMED");
    const notJson = signJws(suite, key, { kid: "k1", typ: TYP }, "not json");
    expect(codeOf(() => verify(notJson))).toBe("JWT_CLAIMS_MALFORMED");
  });

  it("accepts only the suites it is told to", () => {
    const elsewhere = suite === standardSuite ? nationalSuite : standardSuite;
    expect(codeOf(() => verify(sign(), { suites: [elsewhere] }))).toBe("JWS_UNSUPPORTED_ALG");
    expect(codeOf(() => verify(sign(), { suites: [suite] }))).toBeNull();
  });
});

it("refuses a token whose alg names one suite but whose key is of the other", () => {
  const token = signJwt(standardSuite, standardSuite.generateKeyPair(), { typ: TYP }, { iat: T, exp: T + 5 });
  const sm2Key = nationalSuite.generateKeyPair().publicKey;
  expect(codeOf(() => verifyJwt(token, () => sm2Key, { typ: TYP, now: NOW }))).toBe("JWS_KEY_MISMATCH");
});

it("turns a token that is not a JWS into JWS_MALFORMED, not an exception of another kind", () => {
  expect(codeOf(() => verifyJwt("garbage", () => undefined, { typ: TYP }))).toBe("JWS_MALFORMED");
});
