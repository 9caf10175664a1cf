import { migrate, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthConfig } from "./jwt";
import type { ClientRecord } from "./model";
import { accessMigrations, AuthenticationError, createAuthenticator, createIdentityStore } from "./index";

let db: Db;
let signingKey: CryptoKey;
let otherKey: CryptoKey;
let publicJwk: JWK;
let jwksServer: Server;
let window: ClientRecord;
let windowKey: string;
const clock = { now: new Date() };
const now = () => clock.now;
const auth = (extra: Partial<AuthConfig> = {}): AuthConfig => ({
  audience: "onecert",
  issuer: "https://idp.example.test",
  ...extra,
});
let jwksFile: string;

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, "access", accessMigrations);
  const pair = await generateKeyPair("ES256");
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair("ES256")).privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  jwksFile = join(mkdtempSync(join(tmpdir(), "onecert-jwks-")), "jwks.json");
  writeFileSync(jwksFile, JSON.stringify({ keys: [publicJwk] }));
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  const created = await createIdentityStore(db).createClient({
    name: "hall",
    role: "window",
    department: "government-service-center",
  });
  window = created.client;
  windowKey = created.apiKey;
});
afterAll(async () => {
  await new Promise((resolve) => jwksServer.close(resolve));
  await db.close();
});

function token(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; exp?: number | null } = {}) {
  const issuedAt = Math.floor(clock.now.getTime() / 1000);
  const jwt = new SignJWT({
    role: "admin",
    sub: window.id,
    aud: "onecert",
    iss: "https://idp.example.test",
    iat: issuedAt,
    jti: "tok-1",
    ...claims,
  }).setProtectedHeader({ alg: "ES256", kid: "k1" });
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? issuedAt + 300);
  return jwt.sign(options.key ?? signingKey);
}

const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as AuthenticationError).message;
}

describe("authenticator", () => {
  it("accepts API keys in Authorization or x-api-key and refuses missing or bad ones", async () => {
    const authenticator = createAuthenticator({ store: createIdentityStore(db), auth: auth() });
    expect((await authenticator.authenticate(bearer(windowKey))).id).toBe(window.id);
    expect((await authenticator.authenticate({ "x-api-key": windowKey })).via).toBe("api-key");
    expect(await refusal(authenticator.authenticate({}))).toBe("missing credentials");
    expect(await refusal(authenticator.authenticate({ "x-api-key": "oc_nope" }))).toBe(
      "invalid or expired API key",
    );
    expect(await refusal(authenticator.authenticate({ authorization: "Basic abc" }))).toMatch(/scheme/);
    expect(await refusal(authenticator.authenticate(bearer("not.a.jwt")))).toMatch(/^invalid token: /);
  });

  it("accepts a JWT from the JWKS file, taking role and department from the store", async () => {
    const authenticator = createAuthenticator({
      store: createIdentityStore(db),
      auth: auth({ jwksFile }),
      now,
    });
    expect(await authenticator.authenticate(bearer(await token()))).toEqual({
      id: window.id,
      name: "hall",
      role: "window",
      department: "government-service-center",
      safelist: false,
      rateLimitPerMinute: null,
      via: "jwt",
      credentialId: "tok-1",
    });
  });

  it("accepts a JWT from a remote JWKS", async () => {
    const { port } = jwksServer.address() as AddressInfo;
    const authenticator = createAuthenticator({
      store: createIdentityStore(db),
      auth: auth({ jwksUrl: `http://127.0.0.1:${port}/jwks.json` }),
      now,
    });
    expect((await authenticator.authenticate(bearer(await token()))).via).toBe("jwt");
  });

  it("refuses expired, misaddressed, forged and unknown-subject tokens with the reason", async () => {
    const authenticator = createAuthenticator({
      store: createIdentityStore(db),
      auth: auth({ jwksFile }),
      now,
    });
    const past = Math.floor(clock.now.getTime() / 1000) - 60;
    const cases: [Promise<string>, RegExp][] = [
      [token({}, { exp: past }), /^invalid token: "exp" claim timestamp check failed$/],
      [token({}, { exp: null }), /^invalid token: missing required "exp" claim$/],
      [token({ aud: "someone-else" }), /^invalid token: unexpected "aud" claim value$/],
      [token({ iss: "https://evil.example" }), /^invalid token: unexpected "iss" claim value$/],
      [token({ sub: "cl_unknown" }), /^invalid token: unknown client$/],
      [token({ sub: 42 }), /^invalid token: "sub" claim must be a string$/],
      [token({}, { key: otherKey }), /^invalid token: signature verification failed$/],
    ];
    for (const [pending, expected] of cases) {
      expect(await refusal(authenticator.authenticate(bearer(await pending))), String(expected)).toMatch(
        expected,
      );
    }
    const unconfigured = createAuthenticator({ store: createIdentityStore(db), auth: auth() });
    expect(await refusal(unconfigured.authenticate(bearer(await token())))).toMatch(/not configured/);
  });

  it("refuses a revoked client's token within the cache window", async () => {
    const admin = createIdentityStore(db);
    const { client } = await admin.createClient({ name: "soon-gone", role: "department", department: "tax" });
    const authenticator = createAuthenticator({
      store: createIdentityStore(db, { now, cacheTtlMs: 5000 }),
      auth: auth({ jwksFile }),
      now,
    });
    const jwt = await token({ sub: client.id });
    expect((await authenticator.authenticate(bearer(jwt))).id).toBe(client.id);
    await admin.revokeClient(client.id);
    clock.now = new Date(clock.now.getTime() + 4000);
    expect((await authenticator.authenticate(bearer(jwt))).id).toBe(client.id);
    clock.now = new Date(clock.now.getTime() + 1000);
    expect(await refusal(authenticator.authenticate(bearer(jwt)))).toBe("client revoked");
  });

  it("fails at creation on an unreadable JWKS file", () => {
    expect(() =>
      createAuthenticator({ store: createIdentityStore(db), auth: auth({ jwksFile: "/nope.json" }) }),
    ).toThrow(/JWKS file \/nope.json/);
  });
});
