import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "@onecert/cli";
import { keyMap, verifyStore, type AuditStore, type PublicKeyInfo } from "@onecert/audit";
import { exchange, scratchDir, testAuditConfig } from "../support/audit";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * The checkpoint key kept in the audit database (AUDIT_SIGNING_KEY_STORE=database), as proof keys
 * are: generated sealed on first use, rotated by the admin API, and a log signed by the keys
 * before and after a rotation verifying against the keys the auditor API lists.
 */

const SECRET = "audit key secret for the end-to-end test";
const scratch = scratchDir();
let t: TestStack;
let base: string;
let store: AuditStore;

let auditorKey: string;
const admin = (path: string, method = "GET") =>
  exchange(`${base}${path}`, { method, headers: { authorization: `Bearer ${t.keys.admin}` } });
const auditorKeys = async () =>
  (
    (
      await exchange(`${base}/admin/audit/keys`, { headers: { authorization: `Bearer ${auditorKey}` } })
    ).json() as { data: PublicKeyInfo[] }
  ).data;

async function someRequests(count: number) {
  for (let n = 0; n < count; n += 1) expect((await t.gql("{ __typename }", {})).errors ?? []).toEqual([]);
  await t.stack.gateway.audit!.checkpoint();
}

beforeAll(async () => {
  t = await startTestStack({
    gateway: {
      audit: testAuditConfig(scratch.dir, {
        signingKeyStore: "database",
        signingKeySecret: SECRET,
        rotateAfterDays: 90,
      }),
    },
  });
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
  store = t.stack.gateway.audit!.store;
  auditorKey = (
    await t.stack.gateway.access.identity.createClient({
      name: "e2e-key-auditor",
      role: "auditor",
      department: "audit-office",
    })
  ).apiKey;
});

afterAll(async () => {
  await t?.stop();
  scratch.cleanup();
});

describe("audit checkpoint keys kept in the database", () => {
  it("signs with a sealed key of the deployment's suite, made on first use", async () => {
    await someRequests(3);
    const rows = await t.stack.db.query<{ private_key: string; encrypted: boolean }>(
      "SELECT private_key, encrypted FROM keyring.keys WHERE purpose = 'audit'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ encrypted: true });
    expect(rows[0].private_key).not.toContain("PRIVATE KEY");
    const listed = await auditorKeys();
    expect((await store.checkpoints()).at(-1)?.keyId).toBe(listed.at(-1)?.keyId);
  });

  it("rotates by the admin API, and the log signed before and after verifies against the listed keys", async () => {
    const before = (await store.checkpoints()).at(-1)!.keyId;
    const rotated = await admin("/admin/audit/keys/rotate", "POST");
    expect(rotated.status, rotated.text).toBe(201);
    const key = (rotated.json() as { data: PublicKeyInfo }).data;
    expect(key.keyId).not.toBe(before);
    await someRequests(3);
    expect((await store.checkpoints()).at(-1)?.keyId).toBe(key.keyId);
    expect((await store.latestTreeHead())?.keyId).toBe(key.keyId);

    const listed = await auditorKeys();
    expect(listed.map((entry) => entry.keyId)).toEqual(expect.arrayContaining([before, key.keyId]));
    // Listing the keys is itself recorded: sign it too, so the whole log is under a checkpoint.
    await t.stack.gateway.audit!.checkpoint();
    const outcome = await verifyStore(store, { keys: keyMap(listed.map((entry) => entry.publicKey)) });
    expect(outcome.problem).toBeUndefined();
    expect(outcome).toMatchObject({ ok: true, unsigned: 0, keysFrom: "given" });
  });

  it("rotates from the command line, `onecert audit rotate-key`, printing the new public key", async () => {
    const saved = { url: process.env.ONECERT_URL, key: process.env.ONECERT_API_KEY };
    Object.assign(process.env, { ONECERT_URL: base, ONECERT_API_KEY: t.keys.admin });
    let out = "";
    const spy = vi
      .spyOn(process.stdout, "write")
      .mockImplementation((chunk) => ((out += String(chunk)), true));
    try {
      expect(await main(["audit", "rotate-key"])).toBe(0);
    } finally {
      spy.mockRestore();
      Object.assign(process.env, { ONECERT_URL: saved.url, ONECERT_API_KEY: saved.key });
      if (saved.url === undefined) delete process.env.ONECERT_URL;
      if (saved.key === undefined) delete process.env.ONECERT_API_KEY;
    }
    const printed = JSON.parse(out) as PublicKeyInfo;
    expect(printed.publicKey).toContain("BEGIN PUBLIC KEY");
    expect((await auditorKeys()).at(-1)?.keyId).toBe(printed.keyId);
  });

  it("lets only an admin rotate", async () => {
    const refused = await exchange(`${base}/admin/audit/keys/rotate`, {
      method: "POST",
      headers: t.headers,
    });
    expect(refused.status).toBe(403);
  });
});
