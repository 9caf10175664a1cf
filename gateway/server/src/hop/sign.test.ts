import {
  bodyHash,
  createHopVerifier,
  createKeyring,
  decodeJws,
  HOP_TYPE,
  KEYRING_SCHEMA,
  keyringKeySource,
  keyringMigrations,
  memoryReplayGuard,
  migrate,
  nationalSuite,
  openDb,
  standardSuite,
  type Db,
  type Keyring,
} from "@onecert/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHopSigner, type HopCaller } from "./sign";

const BODY = JSON.stringify({ query: "{ person(idNumber: $id) { name } }", variables: { id: "1" } });
const CALLER: HopCaller = {
  requestId: "req-42",
  client: { id: "cl_1", name: "window-1", role: "window", department: "gov-center" },
  operatorId: "clerk-7",
  matterCode: "M-001",
  caseNumber: "C-9",
};

let db: Db;
let keyring: Keyring;
beforeAll(async () => {
  db = openDb();
  await migrate(db, KEYRING_SCHEMA, keyringMigrations);
  keyring = createKeyring(db, { purpose: "hop" });
});
afterAll(() => db.close());

const claimsOf = (token: string) =>
  JSON.parse(decodeJws(token).payload.toString("utf8")) as Record<string, unknown>;
const verifierOf = (ring: Keyring, audience = "population", issuer = "gw-test") =>
  createHopVerifier({ audience, issuer, keys: keyringKeySource(ring, 0), replay: memoryReplayGuard() });

describe("createHopSigner", () => {
  it("states issuer, audience, id, a short validity, the caller and the body digest", async () => {
    const signer = createHopSigner({ keyring, issuer: "gw-test", ttlSeconds: 20 });
    const before = Math.floor(Date.now() / 1000);
    const { token, id } = await signer.assert("population", BODY, CALLER);
    const after = Math.floor(Date.now() / 1000);
    const { kid } = await keyring.signingKey();
    expect(decodeJws(token).header).toEqual({ alg: "EdDSA", kid, typ: HOP_TYPE });
    const claims = claimsOf(token);
    expect(claims).toEqual({
      iss: "gw-test",
      aud: "population",
      jti: id,
      iat: expect.any(Number),
      exp: (claims.iat as number) + 20,
      rid: "req-42",
      cli: CALLER.client,
      op: "clerk-7",
      mat: "M-001",
      cas: "C-9",
      bh: bodyHash(standardSuite, BODY),
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(after);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("makes assertions the subgraph's verifier accepts, and only for that subgraph and body", async () => {
    const signer = createHopSigner({ keyring, issuer: "gw-test", ttlSeconds: 30 });
    const { token, id } = await signer.assert("population", BODY, CALLER);
    const context = await verifierOf(keyring).verify(token, BODY);
    expect(context).toMatchObject({
      id,
      issuer: "gw-test",
      requestId: "req-42",
      client: CALLER.client,
      operatorId: "clerk-7",
      matterCode: "M-001",
      caseNumber: "C-9",
      token,
    });
    await expect(verifierOf(keyring, "property").verify(token, BODY)).rejects.toMatchObject({
      code: "HOP_ASSERTION_AUDIENCE",
    });
    await expect(verifierOf(keyring).verify(token, `${BODY}\n`)).rejects.toMatchObject({
      code: "HOP_BODY_MISMATCH",
    });
    // The gateway's own calls (schema loads, health) name no caller.
    const own = await signer.assert("population", "{}", {
      requestId: "probe-1",
      client: null,
      operatorId: null,
      matterCode: null,
      caseNumber: null,
    });
    expect(await verifierOf(keyring).verify(own.token, "{}")).toMatchObject({
      client: null,
      operatorId: null,
    });
  });

  it("refuses a validity outside 1 to 60 s", () => {
    for (const ttlSeconds of [0, -5, 61, 3600])
      expect(() => createHopSigner({ keyring, issuer: "gw", ttlSeconds })).toThrow(/1 to 60 s/);
    for (const ttlSeconds of [1, 60])
      expect(() => createHopSigner({ keyring, issuer: "gw", ttlSeconds })).not.toThrow();
  });

  it("gives every assertion an id of its own", async () => {
    const signer = createHopSigner({ keyring, issuer: "gw", ttlSeconds: 30 });
    const made = await Promise.all(
      Array.from({ length: 200 }, () => signer.assert("population", BODY, CALLER)),
    );
    expect(new Set(made.map((assertion) => assertion.id)).size).toBe(200);
    expect(made.every(({ token, id }) => claimsOf(token).jti === id)).toBe(true);
  });

  it("asks the keyring once for many calls, and again only after keyRefreshMs", async () => {
    const purpose = `hop-refresh-${Date.now()}`;
    const ring = createKeyring(db, { purpose });
    const asked = vi.spyOn(ring, "signingKey");
    const signer = createHopSigner({ keyring: ring, issuer: "gw-test", ttlSeconds: 30, keyRefreshMs: 200 });
    const first = await Promise.all([1, 2, 3].map(() => signer.assert("population", BODY, CALLER)));
    expect(asked).toHaveBeenCalledTimes(1);
    const rotated = await ring.rotate();
    const cached = await signer.assert("population", BODY, CALLER);
    expect(decodeJws(cached.token).header.kid).toBe(decodeJws(first[0].token).header.kid);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const fresh = await signer.assert("population", BODY, CALLER);
    expect(decodeJws(fresh.token).header.kid).toBe(rotated.kid);
    expect(asked).toHaveBeenCalledTimes(2);
    await expect(verifierOf(ring).verify(fresh.token, BODY)).resolves.toMatchObject({ id: fresh.id });
  });

  it("signs in the keyring's suite, its body digest in that suite's hash", async () => {
    const ring = createKeyring(db, { purpose: `hop-national-${Date.now()}`, suite: nationalSuite });
    const signer = createHopSigner({ keyring: ring, issuer: "gw-test", ttlSeconds: 30 });
    const { token } = await signer.assert("population", BODY, CALLER);
    expect(decodeJws(token).header.alg).toBe("SM2");
    expect(claimsOf(token).bh).toBe(bodyHash(nationalSuite, BODY));
    await expect(verifierOf(ring).verify(token, BODY)).resolves.toMatchObject({ requestId: "req-42" });
  });
});
