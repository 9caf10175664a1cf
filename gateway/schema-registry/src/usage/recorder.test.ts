import { createLogger, migrate, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USAGE_SCHEMA, usageMigrations } from "./migrations";
import { createUsageRecorder } from "./recorder";

const logger = createLogger("usage-test", "silent");
let db: Db;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.close();
});

const DAY = 86_400_000;

describe("usage recorder", () => {
  it("keeps counts whose write failed and writes them with the next flush", async () => {
    const recorder = createUsageRecorder({ db, logger, flushIntervalMs: 60_000 });
    recorder.record("cl_a", ["Query.person", "Person.name"]);
    // The table does not exist yet: the write fails and nothing is lost.
    await expect(recorder.flush()).rejects.toThrow();
    await migrate(db, USAGE_SCHEMA, usageMigrations);
    recorder.record("cl_a", ["Person.name"]);
    await recorder.flush();
    const usage = await recorder.usage(["Person.name", "Query.person"], new Date(Date.now() - DAY));
    expect(usage.map((row) => [row.field, row.clientId, row.requests])).toEqual([
      ["Person.name", "cl_a", 2],
      ["Query.person", "cl_a", 1],
    ]);
    await recorder.close();
  });

  it("adds to the stored counts per day and client, and answers for a window", async () => {
    const recorder = createUsageRecorder({ db, logger, flushIntervalMs: 60_000 });
    const now = Date.now();
    recorder.record("cl_b", ["Person.status"], new Date(now - 10 * DAY));
    recorder.record("cl_b", ["Person.status"], new Date(now - 10 * DAY));
    await recorder.flush();
    recorder.record("cl_b", ["Person.status"], new Date(now - 10 * DAY));
    recorder.record("cl_c", ["Person.status"], new Date(now - 2 * DAY));
    const all = await recorder.usage(["Person.status"], new Date(now - 30 * DAY));
    expect(all.map((row) => [row.clientId, row.requests])).toEqual([
      ["cl_b", 3],
      ["cl_c", 1],
    ]);
    expect(new Date(all[1].lastUsed).getTime()).toBe(now - 2 * DAY);
    const recent = await recorder.usage(["Person.status"], new Date(now - 5 * DAY));
    expect(recent.map((row) => row.clientId)).toEqual(["cl_c"]);
    await recorder.close();
  });

  it("writes what is left when closed", async () => {
    const recorder = createUsageRecorder({ db, logger, flushIntervalMs: 60_000 });
    recorder.record("cl_d", ["Household.number"]);
    await recorder.close();
    const reader = createUsageRecorder({ db, logger, flushIntervalMs: 60_000 });
    expect(await reader.usage(["Household.number"], new Date(Date.now() - DAY))).toHaveLength(1);
    await reader.close();
  });

  it("deletes days past retention and keeps the window", async () => {
    const recorder = createUsageRecorder({ db, logger, flushIntervalMs: 60_000, retentionDays: 30 });
    const now = Date.now();
    recorder.record("cl_e", ["Enterprise.status"], new Date(now - 45 * DAY));
    recorder.record("cl_e", ["Enterprise.status"], new Date(now - 3 * DAY));
    await recorder.flush();
    expect(await recorder.prune(new Date(now))).toBe(1);
    const kept = await recorder.usage(["Enterprise.status"], new Date(now - 400 * DAY));
    expect(kept.map((row) => [row.clientId, row.requests])).toEqual([["cl_e", 1]]);
    expect(await recorder.prune(new Date(now))).toBe(0);
    await recorder.close();
  });
});
