import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db";
import { createLogger } from "../logger";
import { eventually, openTestDb } from "../testing/index";
import { createScheduler } from "./scheduler";
import { deferred, history as historyOf } from "./testing";
import type { Scheduler, SchedulerOptions } from "./types";

/** Two schedulers on one database stand for two replicas; takeover.test.ts cuts their connections. */

const logger = createLogger("scheduler-test");
let db: Db;

beforeAll(async () => {
  db = await openTestDb();
});

afterAll(async () => {
  await db?.close();
});

const replica = (owner: string, options: Partial<SchedulerOptions> = {}): Scheduler =>
  createScheduler({ db, owner, logger, pollMs: 100, ...options });
const history = (name: string) => historyOf(db, name);

describe("scheduler", () => {
  it("runs a job once per period across two replicas, on the grid of its first run", async () => {
    const PERIOD = 250;
    const seen: { owner: string; at: number }[] = [];
    const define = (scheduler: Scheduler) =>
      scheduler.define({
        name: "once-per-period",
        periodMs: PERIOD,
        async run({ scheduledFor }) {
          seen.push({ owner: scheduler.owner, at: scheduledFor!.getTime() });
          await new Promise((done) => setTimeout(done, 30));
        },
      });
    const a = replica("a");
    const b = replica("b");
    define(a);
    define(b);
    await Promise.all([a.start(), b.start()]);
    try {
      await eventually(() => seen.length >= 6, "six runs");
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }

    const times = seen.map((run) => run.at);
    expect(new Set(times).size).toBe(times.length);
    for (const [index, at] of times.entries()) {
      expect((at - times[0]) % PERIOD).toBe(0);
      if (index > 0) expect(at).toBeGreaterThan(times[index - 1]);
    }
    const rows = await history("once-per-period");
    expect(rows.map((row) => row.scheduled_for!.getTime())).toEqual(times);
    expect(rows.map((row) => row.owner)).toEqual(seen.map((run) => run.owner));
    expect(rows.every((row) => row.outcome === "ok")).toBe(true);
    const [statusA] = await a.status();
    const [statusB] = await b.status();
    expect(statusA).toMatchObject({ runs: times.length, failures: 0, lastOutcome: "ok", runningOn: null });
    expect(statusA.here.ok + statusB.here.ok).toBe(times.length);
    expect(statusA.nextRunAt!.getTime()).toBeGreaterThan(times.at(-1)!);
    expect((statusA.nextRunAt!.getTime() - times[0]) % PERIOD).toBe(0);
  });

  it("records a failure with its error and keeps the schedule", async () => {
    const a = replica("a");
    a.define({
      name: "failing",
      periodMs: 60_000,
      run: async () => {
        throw new Error("archive directory is read-only");
      },
    });
    await a.start();
    try {
      await eventually(async () => (await a.status())[0].lastOutcome === "failed", "the failed run");
      const [first] = await a.status();
      expect(first).toMatchObject({
        runs: 1,
        failures: 1,
        lastError: "archive directory is read-only",
        lastSucceededAt: null,
        runningOn: null,
      });
      const [row] = await history("failing");
      expect(row).toMatchObject({ outcome: "failed", error: "archive directory is read-only" });
      expect(first.nextRunAt!.getTime()).toBe(row.scheduled_for!.getTime() + 60_000);

      expect(await a.runNow("failing")).toEqual({
        outcome: "failed",
        error: "archive directory is read-only",
      });
      const [second] = await a.status();
      expect(second).toMatchObject({ runs: 2, failures: 2, nextRunAt: first.nextRunAt });
      expect(second.here).toEqual({ ok: 0, failed: 2, lost: 0 });
    } finally {
      await a.stop();
    }
  });

  it("keeps the schedule when a replica starts with the same period, and shortens it for a shorter one", async () => {
    const define = (scheduler: Scheduler, periodMs: number) =>
      scheduler.define({ name: "restarts", periodMs, run: async () => undefined });
    const a = replica("a");
    define(a, 3_600_000);
    await a.start();
    await eventually(async () => (await a.status())[0].runs === 1, "the first run");
    const [first] = await a.status();
    const b = replica("b");
    define(b, 3_600_000);
    await b.start();
    expect((await b.status())[0].nextRunAt).toEqual(first.nextRunAt);
    const c = replica("c");
    define(c, 60_000);
    await c.start();
    const [shortened] = await c.status();
    expect(shortened.nextRunAt!.getTime()).toBeLessThanOrEqual(first.lastStartedAt!.getTime() + 3_600_000);
    expect(shortened.nextRunAt!.getTime() - first.lastStartedAt!.getTime()).toBeLessThan(3_000_000);
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  });

  it("runs a job on demand unless another replica holds it, and keeps a bounded history", async () => {
    const held = deferred();
    let calls = 0;
    const a = replica("a", { historyRows: 3 });
    const b = replica("b");
    a.define({ name: "on-demand", periodMs: 3_600_000, run: async () => ++calls });
    b.define({ name: "on-demand", periodMs: 3_600_000, run: () => held.promise });
    const holding = b.runNow("on-demand");
    await eventually(async () => (await a.status())[0].runningOn === "b", "b holding the job");
    expect(await a.runNow("on-demand")).toBeNull();
    held.resolve();
    expect(await holding).toEqual({ outcome: "ok", error: null, value: undefined });

    for (let run = 1; run <= 4; run += 1)
      expect(await a.runNow("on-demand")).toEqual({ outcome: "ok", error: null, value: run });
    const rows = await history("on-demand");
    expect(rows.map((row) => row.fence)).toEqual([3, 4, 5]);
    expect(rows.every((row) => row.scheduled_for === null)).toBe(true);
    await expect(a.runNow("no-such-job")).rejects.toThrow("no job no-such-job");
    expect(() => a.define({ name: "late", periodMs: 1000, run: async () => undefined })).toThrow(
      "defined after the scheduler started",
    );
  });
});
