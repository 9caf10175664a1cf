import type { Db } from "@onecert/subgraph-kit";
import { nationalSuite, standardSuite } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keyMap } from "../signing";
import { createAuditStore } from "../store/store";
import { sampleEntry } from "../testing";
import { verifyStore } from "../verify/sources";
import { openAuditKeys, type AuditKeySpec } from "./key-source";
import { openWriterCore } from "./writer-core";

// Checkpoint keys kept in the audit database's keyring: generated on first use, sealed, replaced
// once past their age, and every key that signed staying listed so the whole log verifies.

const DAY = 86_400_000;
let db: Db;
let clock: Date;

const spec = (overrides: Partial<Extract<AuditKeySpec, { store: "database" }>> = {}): AuditKeySpec => ({
  store: "database",
  suite: "standard",
  secret: "a long enough test secret",
  rotateAfterMs: 90 * DAY,
  now: () => clock,
  ...overrides,
});

const init = (signingKey: AuditKeySpec) => ({
  signingKey,
  replica: "test",
  checkpointEvery: 1000,
  batchMax: 64,
  batchWaitMs: 0,
});

async function writeSome(core: Awaited<ReturnType<typeof openWriterCore>>, from: number, count: number) {
  for (let n = from; n < from + count; n += 1) await core.record(sampleEntry(n));
  await core.calls.checkpoint();
}

beforeEach(async () => {
  db = await openTestDb();
  clock = new Date("2026-01-01T00:00:00Z");
});
afterEach(async () => {
  await db.close();
});

describe("audit signing keys kept in the database", () => {
  it("makes one sealed key on first use and signs with it", async () => {
    const core = await openWriterCore(db, init(spec()), false);
    await writeSome(core, 1, 3);
    const [row] = await db.query<{ private_key: string; encrypted: boolean }>(
      "SELECT private_key, encrypted FROM keyring.keys WHERE purpose = 'audit'",
    );
    expect(row.encrypted).toBe(true);
    expect(row.private_key).toMatch(/^scrypt-aes256gcm:/);
    const store = createAuditStore(db, { replica: "reader" });
    const keys = await store.publicKeys();
    expect(keys).toHaveLength(1);
    expect((await store.checkpoints()).at(-1)).toMatchObject({ seq: 3, keyId: keys[0].keyId });
  });

  it("replaces the key once it is past its age, and the log signed by both verifies", async () => {
    const core = await openWriterCore(db, init(spec()), false);
    await writeSome(core, 1, 3);
    clock = new Date(clock.getTime() + 91 * DAY);
    await writeSome(core, 4, 3);
    const store = createAuditStore(db, { replica: "reader" });
    const keys = await store.publicKeys();
    expect(keys).toHaveLength(2);
    const signers = (await store.checkpoints()).map((checkpoint) => checkpoint.keyId);
    expect(new Set(signers).size).toBe(2);
    expect(signers.at(-1)).toBe(keys[1].keyId);
    const outcome = await verifyStore(store, { keys: keyMap(keys.map((key) => key.publicKey)) });
    expect(outcome.problem).toBeUndefined();
    expect(outcome).toMatchObject({ ok: true, records: 6, unsigned: 0 });
  });

  it("rotates on demand, and a second writer (another replica) takes the new key up", async () => {
    const first = await openWriterCore(db, init(spec()), false);
    const second = await openWriterCore(db, init(spec()), false);
    await writeSome(first, 1, 2);
    const rotated = (await first.calls.rotateKey()) as { keyId: string };
    await writeSome(second, 3, 2);
    const store = createAuditStore(db, { replica: "reader" });
    expect((await store.checkpoints()).at(-1)?.keyId).toBe(rotated.keyId);
    expect(await store.publicKeys()).toHaveLength(2);
  });

  it("makes national-suite keys with CRYPTO_SUITE=national", async () => {
    const keys = await openAuditKeys(db, spec({ suite: "national" }));
    expect(keys.current().suite).toBe(nationalSuite);
    expect(keys.current().keyId).toMatch(/^sm2:/);
    const other = await openTestDb();
    try {
      expect((await openAuditKeys(other, spec())).current().suite).toBe(standardSuite);
    } finally {
      await other.close();
    }
  });

  it("refuses a sealed key without its secret, naming the setting", async () => {
    await openAuditKeys(db, spec());
    await expect(openAuditKeys(db, spec({ secret: undefined }))).rejects.toThrow(/AUDIT_SIGNING_KEY_SECRET/);
    await expect(openAuditKeys(db, spec({ secret: "another secret entirely" }))).rejects.toThrow();
  });

  it("refuses to rotate a key file", async () => {
    const keys = await openAuditKeys(db, {
      store: "file",
      pem: standardSuite.generateKeyPair().exportPem(),
    });
    await expect(keys.rotate()).rejects.toMatchObject({ code: "KEY_ROTATION_UNSUPPORTED" });
  });
});
