import { Refusal } from "@onecert/subgraph-kit";
import { countingStatements, openTestDb } from "@onecert/subgraph-kit/testing";
import { migrate, type Db } from "@onecert/subgraph-kit";
import * as crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DAY_MS } from "./ids";
import { accessMigrations, createIdentityStore, type IdentityStore } from "./index";

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

let db: Db;
let store: IdentityStore;
const clock = { now: new Date("2030-01-01T00:00:00Z") };
const now = () => clock.now;
const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, "access", accessMigrations);
  store = createIdentityStore(db, { now });
});
afterAll(() => db.close());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: Refusal) => error,
  );

describe("identity store", () => {
  it("creates a client with a one-time key of the documented shape that verifies", async () => {
    const created = await store.createClient({ name: "hall-1", role: "window", department: "gov-center" });
    expect(created.client.id).toMatch(/^cl_[0-9a-f]{24}$/);
    expect(created.apiKey).toMatch(/^oc_key_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey.startsWith(`oc_${created.keyId}_`)).toBe(true);
    expect(created.client.createdAt).toBeInstanceOf(Date);
    expect(created.expiresAt.getTime() - clock.now.getTime()).toBe(365 * DAY_MS);
    expect(await store.verifyApiKey(created.apiKey)).toEqual({
      id: created.client.id,
      name: "hall-1",
      role: "window",
      department: "gov-center",
      safelist: false,
      rateLimitPerMinute: null,
      via: "api-key",
      credentialId: created.keyId,
    });
    const stored = await db.query<{ secret_hash: string }>(
      "SELECT secret_hash FROM access.api_keys WHERE id = $1",
      [created.keyId],
    );
    expect(stored[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await store.getClient(created.client.id))).not.toMatch(/secret|hash|oc_key/i);
  });

  it("rejects malformed, unknown and wrong-secret keys, comparing in constant time", async () => {
    const { apiKey, keyId } = await store.createClient({ name: "hall-2", role: "window", department: "gov" });
    const compare = vi.mocked(crypto.timingSafeEqual);
    for (const bad of [
      "",
      "oc_",
      "Bearer x",
      apiKey + "x",
      apiKey.slice(0, -1),
      apiKey.replace("oc_", "OC_"),
    ]) {
      expect(await store.verifyApiKey(bad)).toBeNull();
    }
    compare.mockClear();
    const wrongSecret = `oc_${keyId}_${"A".repeat(43)}`;
    expect(await store.verifyApiKey(wrongSecret)).toBeNull();
    expect(compare).toHaveBeenCalledTimes(1);
    const unknownKey = `oc_key_${"0".repeat(24)}_${"A".repeat(43)}`;
    expect(await store.verifyApiKey(unknownKey)).toBeNull();
    expect(compare).toHaveBeenCalledTimes(2);
  });

  it("refuses expired keys, also from the cache", async () => {
    const { apiKey } = await store.createClient({
      name: "short-lived",
      role: "auditor",
      department: "audit",
      keyExpiresInDays: 1,
    });
    expect(await store.verifyApiKey(apiKey)).not.toBeNull();
    advance(DAY_MS);
    expect(await store.verifyApiKey(apiKey)).toBeNull();
  });

  it("revokes keys and clients at once locally and within the cache TTL from elsewhere", async () => {
    const { client, apiKey, keyId } = await store.createClient({
      name: "rev",
      role: "admin",
      department: "ops",
    });
    const second = await store.issueKey(client.id, 30);
    const replica = createIdentityStore(db, { now, cacheTtlMs: 5000 });
    expect(await replica.verifyApiKey(apiKey)).not.toBeNull();

    const revoked = await store.revokeKey(keyId);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await store.verifyApiKey(apiKey)).toBeNull();
    advance(4999);
    expect(await replica.verifyApiKey(apiKey)).not.toBeNull();
    advance(1);
    expect(await replica.verifyApiKey(apiKey)).toBeNull();
    expect((await failure(store.revokeKey(keyId)))?.status).toBe(409);
    expect((await failure(store.revokeKey("key_nope")))?.status).toBe(404);

    expect(await store.verifyApiKey(second.apiKey)).not.toBeNull();
    await store.revokeClient(client.id);
    expect(await store.verifyApiKey(second.apiKey)).toBeNull();
    const details = await store.getClient(client.id);
    expect(details?.keys.every((key) => key.revokedAt instanceof Date)).toBe(true);
    expect((await failure(store.revokeClient(client.id)))?.status).toBe(409);
    expect((await failure(store.issueKey(client.id)))?.status).toBe(409);
    expect((await failure(store.issueKey("cl_nope")))?.status).toBe(404);
  });

  it("records last use at most once a minute per key", async () => {
    const { apiKey, keyId } = await store.createClient({ name: "busy", role: "window", department: "gov" });
    const lastUsed = async () =>
      (await store.getClient((await store.verifyApiKey(apiKey))!.id))!.keys.find((key) => key.id === keyId)!
        .lastUsedAt;
    const first = await lastUsed();
    expect(first?.getTime()).toBe(clock.now.getTime());
    advance(30_000);
    const { statements } = await countingStatements(db, () => store.verifyApiKey(apiKey));
    expect(statements.filter((sql) => sql.startsWith("UPDATE"))).toEqual([]);
    expect((await lastUsed())?.getTime()).toBe(first?.getTime());
    advance(30_000);
    expect((await lastUsed())?.getTime()).toBe(clock.now.getTime());
  });

  it("validates new clients and keeps names unique", async () => {
    const bad = [
      { name: "", role: "window", department: "gov" },
      { name: "a b", role: "window", department: "gov" },
      { name: "x", role: "root", department: "gov" },
      { name: "x", role: "window", department: "Public Security" },
      { name: "x", role: "window", department: "gov", keyExpiresInDays: 3651 },
      { name: "x", role: "window", department: "gov", rateLimitPerMinute: 0 },
    ];
    for (const input of bad) {
      expect((await failure(store.createClient(input as never)))?.status).toBe(400);
    }
    await store.createClient({ name: "dup", role: "window", department: "gov", keyExpiresInDays: 3650 });
    const duplicate = await failure(store.createClient({ name: "dup", role: "admin", department: "gov" }));
    expect(duplicate).toMatchObject({ status: 409, code: "CONFLICT" });
  });

  it("lists clients with their active key count", async () => {
    const { client } = await store.createClient({
      name: "listed",
      role: "department",
      department: "public-security",
      safelist: true,
      rateLimitPerMinute: 120,
    });
    await store.issueKey(client.id);
    const listed = (await store.listClients()).find((candidate) => candidate.id === client.id);
    expect(listed).toMatchObject({ safelist: true, rateLimitPerMinute: 120, activeKeys: 2, revokedAt: null });
    expect(await store.getClient("cl_nope")).toBeNull();
  });
});
