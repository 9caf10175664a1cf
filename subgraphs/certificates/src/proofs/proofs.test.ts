import { standardSuite, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migrateCertificates } from "../migrations";
import { createProofKeyStore, type ProofKeyStore } from "./keys";
import { KeyUnavailableError } from "@onecert/subgraph-kit";
import { canonicalJson, evidenceDigest, signProof, verifyProofToken, type ProofStatement } from "./tokens";

let db: Db;
let clock = new Date("2030-01-01T08:00:00Z");
const now = () => clock;
const DAY = 86_400_000;

beforeAll(async () => {
  db = await openTestDb();
  await migrateCertificates(db);
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  clock = new Date("2030-01-01T08:00:00Z");
  await db.query("DELETE FROM keyring.keys");
});

const statement = (validDays = 30): ProofStatement => ({
  certificate: "no-housing",
  subject: "990101********123X",
  subjectKind: "person",
  verdict: "SATISFIED",
  evidenceDigest: evidenceDigest({ homesInCity: 0, unitsAnywhere: 0 }),
  registries: ["population", "property"],
  matter: "public-rental-housing",
  caseNumber: "C-2030-1",
  issuedAt: clock,
  expiresAt: new Date(clock.getTime() + validDays * DAY),
});

/** Issues a proof as the certificates service does: sign, then keep the key published until it expires. */
async function issue(store: ProofKeyStore, validDays = 30) {
  const key = await store.signingKey();
  const proof = statement(validDays);
  const token = await signProof(key, "onecert", proof);
  await store.noteSigned(key.kid, proof.expiresAt);
  return { token, kid: key.kid };
}

const verify = async (store: ProofKeyStore, token: string) =>
  verifyProofToken(
    token,
    (await store.published()).map((key) => key.publicJwk),
    { issuer: "onecert", now: clock },
  );

describe("electronic proofs", () => {
  it("issues a JWS (EdDSA, kid in the header) that verifies with the published keys alone", async () => {
    const store = createProofKeyStore(db, { now });
    const { token, kid } = await issue(store);
    const header = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString());
    expect(header).toEqual({ alg: "EdDSA", kid, typ: "onecert-proof+jwt" });
    const result = await verify(store, token);
    expect(result).toMatchObject({ valid: true, code: null, keyId: kid });
    expect(result.claims).toMatchObject({
      certificate: "no-housing",
      subject: "990101********123X",
      verdict: "SATISFIED",
      evidenceDigest: evidenceDigest({ unitsAnywhere: 0, homesInCity: 0 }),
      matter: "public-rental-housing",
      caseNumber: "C-2030-1",
      expiresAt: new Date("2030-01-31T08:00:00Z"),
    });
  });

  it("refuses an altered proof: payload or signature", async () => {
    const store = createProofKeyStore(db, { now });
    const { token } = await issue(store);
    const [head, body, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, cert: "identity-status" })).toString("base64url");
    expect(await verify(store, `${head}.${forged}.${signature}`)).toMatchObject({
      valid: false,
      code: "PROOF_SIGNATURE_INVALID",
    });
    const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);
    expect((await verify(store, `${head}.${body}.${flipped}`)).code).toBe("PROOF_SIGNATURE_INVALID");
    expect((await verify(store, "not a token")).code).toBe("PROOF_MALFORMED");
  });

  it("refuses an expired proof with its expiry as the reason", async () => {
    const store = createProofKeyStore(db, { now });
    const { token } = await issue(store, 7);
    clock = new Date(clock.getTime() + 8 * DAY);
    const result = await verify(store, token);
    expect(result).toMatchObject({
      valid: false,
      code: "PROOF_EXPIRED",
      reason: "expired at 2030-01-08T08:00:00.000Z",
    });
  });

  it("refuses a proof signed by a key it does not publish", async () => {
    const store = createProofKeyStore(db, { now });
    await store.signingKey();
    const token = await signProof(
      { kid: "someone-else", suite: standardSuite, key: standardSuite.generateKeyPair() },
      "onecert",
      statement(),
    );
    expect(await verify(store, token)).toMatchObject({
      valid: false,
      code: "PROOF_UNKNOWN_KEY",
      keyId: "someone-else",
    });
  });

  it("rotates: the new key signs, proofs of the old one stay valid until they expire", async () => {
    const store = createProofKeyStore(db, { now });
    const old = await issue(store, 30);
    clock = new Date(clock.getTime() + DAY);
    const rotated = await store.rotate();
    expect(rotated.kid).not.toBe(old.kid);
    const fresh = await issue(store, 30);
    expect(fresh.kid).toBe(rotated.kid);
    expect((await store.published()).map((key) => key.kid).sort()).toEqual([old.kid, rotated.kid].sort());
    expect((await verify(store, old.token)).valid).toBe(true);
    expect((await verify(store, fresh.token)).valid).toBe(true);
    // Once every proof of the retired key has expired, it leaves the JWKS.
    clock = new Date(clock.getTime() + 30 * DAY);
    expect((await store.published()).map((key) => key.kid)).toEqual([rotated.kid]);
    expect((await verify(store, old.token)).code).toBe("PROOF_UNKNOWN_KEY");
  });

  it("replaces the active key once it is older than rotateAfterMs", async () => {
    const store = createProofKeyStore(db, { now, rotateAfterMs: 10 * DAY });
    const first = await store.signingKey();
    clock = new Date(clock.getTime() + 9 * DAY);
    expect((await store.signingKey()).kid).toBe(first.kid);
    clock = new Date(clock.getTime() + 2 * DAY);
    expect((await store.signingKey()).kid).not.toBe(first.kid);
    expect((await store.list()).filter((key) => key.retiredAt === null)).toHaveLength(1);
  });

  it("encrypts private keys with PROOF_KEY_SECRET; without the right secret nothing is signed", async () => {
    const sealed = createProofKeyStore(db, { now, secret: "correct horse battery staple" });
    const { token } = await issue(sealed);
    const [row] = await db.query<{ private_key: string; encrypted: boolean }>(
      "SELECT private_key, encrypted FROM keyring.keys",
    );
    expect(row.encrypted).toBe(true);
    expect(row.private_key).not.toContain("PRIVATE KEY");
    await expect(createProofKeyStore(db, { now, secret: "wrong" }).signingKey()).rejects.toThrow(
      KeyUnavailableError,
    );
    await expect(createProofKeyStore(db, { now }).signingKey()).rejects.toThrow(/set PROOF_KEY_SECRET/);
    // Verifying needs public keys only.
    expect((await verify(createProofKeyStore(db, { now }), token)).valid).toBe(true);
  });

  it("digests evidence canonically: the order of keys does not matter, values do", () => {
    expect(canonicalJson({ b: [1, { d: 2, c: null }], a: "x" })).toBe('{"a":"x","b":[1,{"c":null,"d":2}]}');
    expect(evidenceDigest({ a: 1, b: 2 })).toBe(evidenceDigest({ b: 2, a: 1 }));
    expect(evidenceDigest({ a: 1 })).not.toBe(evidenceDigest({ a: 2 }));
  });
});
