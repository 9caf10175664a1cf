import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { type Db } from "@onecert/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  archiveExpired,
  createAuditStore,
  exportLines,
  generateSigningKey,
  migrateAudit,
  verifyFiles,
  verifyStore,
  writeLinesFile,
  type AuditStore,
} from "@onecert/audit";
import { listPartitions, openSigningKey } from "@onecert/audit";
import { sampleEntry, scratchDir } from "../support/audit";

/**
 * Retention: months past the retention period are exported to an archive file and then
 * dropped, and the chain still verifies across the boundary, from the database alone (anchored
 * at the last archived record) and together with the archive files.
 */

const scratch = scratchDir();
const archiveDir = join(scratch.dir, "archive");
const key = generateSigningKey();
let clock = new Date("2020-01-10T03:00:00Z");
let db: Db;
let store: AuditStore;
let n = 0;

const append = async (count: number) => {
  for (let i = 0; i < count; i += 3) {
    const size = Math.min(3, count - i);
    await store.append(Array.from({ length: size }, () => sampleEntry(++n, { at: clock.toISOString() })));
  }
};
const retain = (now: string) =>
  archiveExpired(store, { retentionDays: 1095, archiveDir, replica: "test", now: () => new Date(now) });

beforeAll(async () => {
  db = await openTestDb();
  await migrateAudit(db);
  store = createAuditStore(db, {
    key: openSigningKey(key.privatePem),
    replica: "test",
    checkpointEvery: 5,
    now: () => clock,
  });
  await append(12);
  clock = new Date("2020-02-10T03:00:00Z");
  await append(8);
  await store.checkpoint();
  clock = new Date("2020-03-10T03:00:00Z");
  await append(5);
});

afterAll(async () => {
  await db?.close();
  scratch.cleanup();
});

describe("retention", () => {
  it("keeps one partition per month and leaves months within the retention period alone", async () => {
    expect(await listPartitions(db)).toEqual(["2020-01", "2020-02", "2020-03"]);
    expect(await retain("2023-01-15T00:00:00Z")).toEqual([]);
  });

  it("archives an expired month before dropping it, and the chain verifies across the boundary", async () => {
    const archived = await retain("2023-02-20T00:00:00Z");
    expect(archived).toEqual([
      { month: "2020-01", records: 12, file: expect.stringContaining("audit-2020-01.") },
    ]);
    expect(await listPartitions(db)).toEqual(["2020-02", "2020-03"]);
    expect(await store.archives()).toEqual([
      expect.objectContaining({ month: "2020-01", firstSeq: 1, lastSeq: 12 }),
    ]);

    const fromDatabase = await verifyStore(store);
    expect(fromDatabase).toMatchObject({ ok: true, records: 13, lastSeq: 25 });
    expect(fromDatabase.warnings.join(" ")).toContain("records 1 to 12 are archived");
    const whole = await verifyStore(store, { archiveDir });
    expect(whole.problem).toBeUndefined();
    expect(whole).toMatchObject({ ok: true, records: 25, lastSeq: 25 });

    const rest = join(scratch.dir, "rest.ndjson");
    await writeLinesFile(rest, exportLines(store));
    expect(await verifyFiles([rest, archived[0].file!])).toMatchObject({ ok: true, records: 25 });
    const alone = await verifyFiles([rest]);
    expect(alone).toMatchObject({ ok: true, records: 13 });
    expect(alone.warnings.join(" ")).toContain("starts after record 12");
  });

  it("an altered archive, or a missing one, breaks the chain at that point", async () => {
    const file = (await store.archives())[0].file;
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace('"req-7"', '"req-x"'));
    try {
      expect((await verifyStore(store, { archiveDir })).problem).toMatchObject({ kind: "altered", seq: 7 });
    } finally {
      writeFileSync(file, text);
    }
    const rest = join(scratch.dir, "rest.ndjson");
    const lines = readFileSync(file, "utf8").trim().split("\n");
    const firstHalf = join(scratch.dir, "first-half.ndjson");
    writeFileSync(
      firstHalf,
      lines.filter((line) => !/"seq":(9|10|11|12),/.test(line) || !line.includes('"record"')).join("\n") +
        "\n",
    );
    expect((await verifyFiles([firstHalf, rest])).problem).toMatchObject({ kind: "deleted", seq: 9 });
  });

  it("archives the next month when it expires, once", async () => {
    expect((await retain("2023-03-20T00:00:00Z")).map((month) => month.month)).toEqual(["2020-02"]);
    expect(await retain("2023-03-21T00:00:00Z")).toEqual([]);
    expect(await verifyStore(store, { archiveDir })).toMatchObject({ ok: true, records: 25 });
    expect(await verifyStore(store)).toMatchObject({ ok: true, records: 5 });
  });
});
