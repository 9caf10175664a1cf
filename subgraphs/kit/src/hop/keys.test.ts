import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createKeyring,
  KEYRING_SCHEMA,
  keyringMigrations,
  nationalSuite,
  serveJwks,
  signJws,
  verifyJws,
  type Keyring,
} from "../crypto";
import { migrate, openDb, type Db } from "../db";
import { hopKeySource, keyringKeySource } from "./keys";

let db: Db;
let keyring: Keyring;
let server: Server;
let url: string;
let requests = 0;
let failing = false;

beforeAll(async () => {
  db = openDb();
  await migrate(db, KEYRING_SCHEMA, keyringMigrations);
  keyring = createKeyring(db, { purpose: "hop" });
  // The gateway's own JWKS endpoint, counting what its verifiers ask.
  server = createServer((_req, res) => {
    requests += 1;
    if (failing) return void res.writeHead(503).end();
    void serveJwks(keyring, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/onecert-gateway-jwks.json`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await db.close();
});
afterEach(() => {
  vi.useRealTimers();
  failing = false;
});

// Only Date is faked: the key source's ages and cooldowns read it, while sockets keep real timers.
const at = (ms: number) => vi.setSystemTime(new Date(Date.UTC(2030, 0, 1) + ms));

async function jwksFile(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), "onecert-jwks-")), "gateway-jwks.json");
  writeFileSync(path, JSON.stringify({ keys: (await keyring.published()).map((key) => key.publicJwk) }));
  return path;
}

describe("hopKeySource from the gateway's URL", () => {
  it("returns a key that verifies what the gateway signs, and serves it from cache", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const signing = await keyring.signingKey();
    const source = hopKeySource({ jwks: url });
    requests = 0;
    const key = await source.key(signing.kid);
    const token = signJws(signing.suite, signing.key, { kid: signing.kid }, "hello");
    expect(verifyJws(token, key!).payload.toString()).toBe("hello");
    at(10_000);
    await source.key(signing.kid);
    expect(requests).toBe(1);
    // Once older than maxAgeMs, the keys are read again even when every kid is known.
    at(300_001);
    expect(await source.key(signing.kid)).toBeDefined();
    expect(requests).toBe(2);
  });

  it("reads again for an unknown kid, at most once per cooldown, and finds a new key", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const source = hopKeySource({ jwks: url, cooldownMs: 1000 });
    await source.key((await keyring.signingKey()).kid);
    requests = 0;
    expect(await source.key("no-such-kid")).toBeUndefined();
    expect(requests).toBe(0);
    at(1001);
    await Promise.all([source.key("no-such-kid"), source.key("no-such-kid"), source.key("other")]);
    expect(requests).toBe(1);
    at(1500);
    expect(await source.key("no-such-kid")).toBeUndefined();
    expect(requests).toBe(1);
    const rotated = await keyring.rotate();
    at(2600);
    expect(await source.key(rotated.kid)).toBeDefined();
    expect(requests).toBe(2);
  });

  it("keeps the keys it knows while the gateway's JWKS cannot be read", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const { kid } = await keyring.signingKey();
    const source = hopKeySource({ jwks: url, maxAgeMs: 1000 });
    expect(await source.key(kid)).toBeDefined();
    failing = true;
    requests = 0;
    at(5000);
    expect(await source.key(kid)).toBeDefined();
    expect(requests).toBe(1);
  });
});

describe("hopKeySource from a file", () => {
  it("reads the keys of a JWKS file, skipping entries without kid or of no known suite", async () => {
    const { kid } = await keyring.signingKey();
    const path = await jwksFile();
    const published = (await keyring.published()).map((key) => key.publicJwk);
    const sm2 = nationalSuite.generateKeyPair().publicKey.jwk;
    const rsa = { kty: "RSA", kid: "rsa-1", n: "AQAB", e: "AQAB" };
    writeFileSync(path, JSON.stringify({ keys: [rsa, { ...sm2 }, { ...sm2, kid: "sm2-1" }, ...published] }));
    const source = hopKeySource({ jwks: path });
    expect((await source.key(kid))?.suite).toBe("standard");
    expect((await source.key("sm2-1"))?.suite).toBe("national");
    expect(await source.key("rsa-1")).toBeUndefined();
  });

  it("reads the file again for a kid it does not know once the cooldown is over", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const path = await jwksFile();
    const source = hopKeySource({ jwks: path, cooldownMs: 1000 });
    expect(await source.key((await keyring.signingKey()).kid)).toBeDefined();
    const rotated = await keyring.rotate();
    writeFileSync(path, JSON.stringify({ keys: (await keyring.published()).map((key) => key.publicJwk) }));
    at(500);
    expect(await source.key(rotated.kid)).toBeUndefined();
    at(1001);
    expect(await source.key(rotated.kid)).toBeDefined();
  });
});

describe("keyringKeySource", () => {
  it("reads the keyring's published keys, and again for a new kid", async () => {
    const source = keyringKeySource(keyring, 0);
    const signing = await keyring.signingKey();
    const token = signJws(signing.suite, signing.key, { kid: signing.kid }, "hop");
    expect(verifyJws(token, (await source.key(signing.kid))!).payload.toString()).toBe("hop");
    const rotated = await keyring.rotate();
    expect(await source.key(rotated.kid)).toBeDefined();
    expect(await source.key("no-such-kid")).toBeUndefined();
  });

  it("knows no key, rather than failing, while the keyring has no table yet", async () => {
    const missing = () => Promise.reject(new Error('relation "keyring.keys" does not exist'));
    const unmigrated: Keyring = {
      signingKey: missing,
      noteSigned: missing,
      rotate: missing,
      published: missing,
      list: missing,
    };
    expect(await keyringKeySource(unmigrated).key("any")).toBeUndefined();
  });
});
