import { describe, expect, it } from "vitest";
import { nationalSuite, signJwt, standardSuite, type CryptoSuite, type SigningKey } from "../crypto";
import { createTestHop, TEST_HOP_CLIENT, type AssertionOverrides } from "../testing/hop";
import { bodyHash, HOP_MAX_LIFETIME_SECONDS } from "./claims";
import type { HopKeySource } from "./keys";
import { memoryReplayGuard, type ReplayGuard } from "./replay";
import { createHopVerifier, HopRefusal, type HopRefusalCode, type HopVerifierOptions } from "./verify";

const AUDIENCE = "population";
const BODY = JSON.stringify({ query: "{ person(id: 1) { name } }" });
const now = () => Math.floor(Date.now() / 1000);

/** A gateway key of `suite`, with the key source a subgraph would learn it from. */
function gateway(suite: CryptoSuite = standardSuite) {
  const key = suite.generateKeyPair();
  const signing: SigningKey = { kid: `kid-${suite.name}`, suite, key };
  const keys: HopKeySource = { key: async (kid) => (kid === signing.kid ? key.publicKey : undefined) };
  return { signing, keys, hop: createTestHop(signing) };
}

function verifier(keys: HopKeySource, extra: Partial<HopVerifierOptions> = {}) {
  return createHopVerifier({ audience: AUDIENCE, keys, replay: memoryReplayGuard(), ...extra });
}

async function refusal(promise: Promise<unknown>): Promise<{ code: HopRefusalCode; status: number }> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof HopRefusal)) throw new Error(`expected a HopRefusal, got ${String(error)}`);
  return { code: error.code, status: error.status };
}

describe("createHopVerifier", () => {
  const { signing, keys, hop } = gateway();
  const assert = (overrides?: AssertionOverrides, body = BODY) => hop.assert(AUDIENCE, body, overrides);
  const refused = (code: HopRefusalCode) => ({ code, status: 401 });

  it("returns what the assertion says about the request it covers", async () => {
    const claims = { jti: "hop-1", rid: "req-9", cas: "case-7", exp: now() + 20 };
    const token = assert({ claims });
    const context = await verifier(keys).verify(token, BODY);
    expect(context).toEqual({
      id: "hop-1",
      issuer: "onecert-gateway",
      requestId: "req-9",
      client: TEST_HOP_CLIENT,
      operatorId: "clerk-test",
      matterCode: "test-matter",
      caseNumber: "case-7",
      expiresAt: new Date(claims.exp * 1000),
      token,
    });
  });

  it("refuses a request without an assertion", async () => {
    for (const missing of [undefined, null, ""])
      expect(await refusal(verifier(keys).verify(missing, BODY))).toEqual(refused("HOP_ASSERTION_MISSING"));
  });

  it("refuses what is not a hop assertion: garbage, another typ, a broken signature", async () => {
    const check = verifier(keys);
    for (const garbage of ["not-a-jwt", "a.b.c", `${assert().split(".").slice(0, 2).join(".")}.`])
      expect(await refusal(check.verify(garbage, BODY))).toEqual(refused("HOP_ASSERTION_INVALID"));
    const claims = { iss: "onecert-gateway", aud: AUDIENCE, jti: "x", iat: now(), exp: now() + 30 };
    const proof = signJwt(
      standardSuite,
      signing.key,
      { kid: signing.kid, typ: "onecert-proof+jwt" },
      {
        ...claims,
        bh: bodyHash(standardSuite, BODY),
      },
    );
    expect(await refusal(check.verify(proof, BODY))).toEqual(refused("HOP_ASSERTION_INVALID"));
    const [header, payload, signature] = assert().split(".");
    const flipped = Buffer.from(signature, "base64url");
    flipped[0] ^= 1;
    const forged = `${header}.${payload}.${flipped.toString("base64url")}`;
    expect(await refusal(check.verify(forged, BODY))).toEqual(refused("HOP_ASSERTION_INVALID"));
  });

  it("refuses an expired assertion and one not valid yet", async () => {
    const expired = assert({ claims: { iat: now() - 40, exp: now() - 10 } });
    expect(await refusal(verifier(keys).verify(expired, BODY))).toEqual(refused("HOP_ASSERTION_EXPIRED"));
    const early = assert({ claims: { iat: now() + 30, exp: now() + 50 } });
    expect(await refusal(verifier(keys).verify(early, BODY))).toEqual(refused("HOP_ASSERTION_NOT_YET_VALID"));
  });

  it("judges validity by its own clock", async () => {
    const token = assert();
    const later = verifier(keys, { now: () => new Date(Date.now() + 60_000) });
    expect(await refusal(later.verify(token, BODY))).toEqual(refused("HOP_ASSERTION_EXPIRED"));
  });

  it(`refuses an assertion valid for more than ${HOP_MAX_LIFETIME_SECONDS} s`, async () => {
    const iat = now();
    const long = assert({ claims: { iat, exp: iat + HOP_MAX_LIFETIME_SECONDS + 1 } });
    expect(await refusal(verifier(keys).verify(long, BODY))).toEqual(refused("HOP_ASSERTION_INVALID"));
    const longest = assert({ claims: { iat, exp: iat + HOP_MAX_LIFETIME_SECONDS } });
    await expect(verifier(keys).verify(longest, BODY)).resolves.toMatchObject({ token: longest });
  });

  it("refuses an assertion for another subgraph, and one from another issuer", async () => {
    const elsewhere = hop.assert("property", BODY);
    expect(await refusal(verifier(keys).verify(elsewhere, BODY))).toEqual(refused("HOP_ASSERTION_AUDIENCE"));
    const foreign = assert({ claims: { iss: "someone-else" } });
    expect(await refusal(verifier(keys).verify(foreign, BODY))).toEqual(refused("HOP_ASSERTION_INVALID"));
    const configured = verifier(keys, { issuer: "gateway-b" });
    expect(await refusal(configured.verify(assert(), BODY))).toEqual(refused("HOP_ASSERTION_INVALID"));
    await expect(configured.verify(assert({ claims: { iss: "gateway-b" } }), BODY)).resolves.toMatchObject({
      issuer: "gateway-b",
    });
  });

  it("refuses an assertion by a key the gateway does not publish", async () => {
    const stranger = standardSuite.generateKeyPair();
    for (const overrides of [{ key: stranger, kid: "unknown-kid" }, { kid: "unknown-kid" }])
      expect(await refusal(verifier(keys).verify(assert(overrides), BODY))).toEqual(
        refused("HOP_ASSERTION_UNKNOWN_KEY"),
      );
    // A known kid does not make another key's signature good.
    const impostor = assert({ key: stranger });
    expect(await refusal(verifier(keys).verify(impostor, BODY))).toEqual(refused("HOP_ASSERTION_INVALID"));
  });

  it("refuses an assertion over another body", async () => {
    const token = assert();
    const other = JSON.stringify({ query: "{ person(id: 2) { name } }" });
    expect(await refusal(verifier(keys).verify(token, other))).toEqual(refused("HOP_BODY_MISMATCH"));
    expect(await refusal(verifier(keys).verify(token, `${BODY} `))).toEqual(refused("HOP_BODY_MISMATCH"));
  });

  it("refuses an assertion used a second time, and remembers it until it expires", async () => {
    const check = verifier(keys);
    const token = assert();
    await check.verify(token, BODY);
    expect(await refusal(check.verify(token, BODY))).toEqual(refused("HOP_ASSERTION_REPLAYED"));
    const asked: [string, Date][] = [];
    const spy: ReplayGuard = {
      first: async (id, until) => (asked.push([id, until]), true),
      close: async () => {},
    };
    const exp = now() + 25;
    await verifier(keys, { replay: spy }).verify(assert({ claims: { jti: "j-25", exp } }), BODY);
    expect(asked).toEqual([["j-25", new Date(exp * 1000)]]);
  });

  it("spends no assertion id on a request it refuses", async () => {
    const check = verifier(keys);
    const token = assert();
    expect(await refusal(check.verify(token, "another body"))).toEqual(refused("HOP_BODY_MISMATCH"));
    await expect(check.verify(token, BODY)).resolves.toMatchObject({ token });
  });

  it("verifies an assertion of the national suite, its body digest in SM3", async () => {
    const national = gateway(nationalSuite);
    const token = national.hop.assert(AUDIENCE, BODY);
    const [, payload] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { bh: string };
    expect(claims.bh).toMatch(/^sm3:/);
    await expect(verifier(national.keys).verify(token, BODY)).resolves.toMatchObject({ token });
    expect(await refusal(verifier(national.keys).verify(token, "{}"))).toEqual(refused("HOP_BODY_MISMATCH"));
  });

  it("treats a missing client as the gateway's own call, not as a refusal", async () => {
    const token = assert({ claims: { cli: null, op: null, mat: null } });
    await expect(verifier(keys).verify(token, BODY)).resolves.toMatchObject({
      client: null,
      operatorId: null,
      matterCode: null,
    });
  });
});
