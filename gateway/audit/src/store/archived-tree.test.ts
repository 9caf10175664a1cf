import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "@onecert/subgraph-kit";
import { nationalSuite, standardSuite } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateSigningKey, openSigningKey } from "../key-file";
import { keyMap } from "../signing";
import { sampleEntry } from "../testing";
import { verifyStore } from "../verify/sources";
import { openWriterCore } from "../write/writer-core";
import { archiveExpired } from "./retention";
import { migrateAudit } from "./schema";
import { createAuditStore, type AuditStore } from "./store";

// A log that switched to the national suite after retention archived its first month: the SM3
// tree must still cover every record from the first, its archived part rebuilt from the archive
// file (checked against what was archived), so the witness and `verify` see new-suite heads.

const standardPem = generateSigningKey(standardSuite).privatePem;
const nationalPem = generateSigningKey(nationalSuite).privatePem;
const trusted = keyMap([openSigningKey(standardPem).publicKey, openSigningKey(nationalPem).publicKey]);
let scratch: string;
let archiveDir: string;
let db: Db;
let clock: Date;

async function standardLogArchived(): Promise<AuditStore> {
  const store = createAuditStore(db, {
    key: openSigningKey(standardPem),
    replica: "test",
    checkpointEvery: 5,
    now: () => clock,
  });
  for (let n = 1; n <= 12; n += 1) await store.append([sampleEntry(n, { at: clock.toISOString() })]);
  await store.checkpoint();
  clock = new Date("2020-02-10T03:00:00Z");
  for (let n = 13; n <= 16; n += 1) await store.append([sampleEntry(n, { at: clock.toISOString() })]);
  await store.checkpoint();
  const now = () => new Date("2023-02-20T00:00:00Z");
  expect(await archiveExpired(store, { retentionDays: 1095, archiveDir, replica: "test", now })).toHaveLength(
    1,
  );
  return store;
}

const nationalWriter = () =>
  openWriterCore(
    db,
    {
      signingKey: { store: "file", pem: nationalPem },
      replica: "national",
      archiveDir,
      checkpointEvery: 1000,
      batchMax: 16,
      batchWaitMs: 0,
    },
    false,
  );

beforeEach(async () => {
  scratch = mkdtempSync(join(tmpdir(), "onecert-archived-tree-"));
  archiveDir = join(scratch, "archive");
  clock = new Date("2020-01-10T03:00:00Z");
  db = await openTestDb();
  await migrateAudit(db);
});
afterEach(async () => {
  await db.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("a suite switched to after retention archived the first month", () => {
  it("signs new-suite tree heads over every record, the archived ones read back from their file", async () => {
    const reader = await standardLogArchived();
    const writer = await nationalWriter();
    for (let n = 17; n <= 20; n += 1) await writer.record(sampleEntry(n));
    await writer.calls.checkpoint();
    const head = await reader.latestTreeHead();
    expect(head).toMatchObject({ treeSize: 20, suite: "sm3", alg: "SM2" });
    const outcome = await verifyStore(reader, { keys: trusted, archiveDir });
    expect(outcome.problem).toBeUndefined();
    expect(outcome).toMatchObject({ ok: true, records: 20, unsigned: 0 });
    // Every sm3 head is checked against the stored tree: no "tree heads not checked" warning.
    expect(outcome.warnings.filter((warning) => !warning.startsWith("no witness"))).toEqual([]);
  });

  it("signs the chain but no new-suite head from an archive file that is not the one archived", async () => {
    const reader = await standardLogArchived();
    const [archive] = await reader.archives();
    appendFileSync(join(archiveDir, archive.file.split("/").pop()!), "\n");
    const writer = await nationalWriter();
    await writer.record(sampleEntry(17));
    await expect(writer.calls.checkpoint()).rejects.toThrow(/is not the file archived/);
    expect((await reader.checkpoints()).at(-1)).toMatchObject({ seq: 17, suite: "national" });
    expect((await reader.latestTreeHead())?.suite).toBe("sha256");
    // Reported once: the next checkpoints go on signing the chain without reading the file again.
    await writer.record(sampleEntry(18));
    await expect(writer.calls.checkpoint()).resolves.toMatchObject({ seq: 18 });
  });
});
