import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db";
import { createLogger } from "../logger";
import { eventually, openTestDb } from "../testing/index";
import { createScheduler } from "./scheduler";
import { EXTEND } from "./schema";
import { deferred, history as historyOf, link } from "./testing";
import type { JobContext, Scheduler, SchedulerOptions } from "./types";

/**
 * A replica whose statements all fail has crashed as far as the others can tell; one whose lease
 * renewals fail is cut off while its job goes on.
 */

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

describe("scheduler takeover", () => {
  it("takes over the period of a replica that died mid-run once its lease runs out", async () => {
    const starts: { owner: string; fence: number; scheduledFor: number }[] = [];
    const note = (owner: string, context: JobContext) =>
      starts.push({ owner, fence: context.fence, scheduledFor: context.scheduledFor!.getTime() });
    const dying = link(db);
    const hung = deferred();
    const a = replica("a", { db: dying.db, leaseMs: 300 });
    a.define({
      name: "takeover",
      periodMs: 60_000,
      async run(context) {
        note("a", context);
        await hung.promise;
      },
    });
    await a.start();
    await eventually(() => starts.length === 1, "a's run");
    dying.state.down = true;

    const b = replica("b", { leaseMs: 300 });
    b.define({ name: "takeover", periodMs: 60_000, run: async (context) => note("b", context) });
    await b.start();
    try {
      await eventually(async () => (await b.status())[0].lastOutcome === "ok", "b's run");
    } finally {
      hung.resolve();
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(starts).toEqual([
      { owner: "a", fence: 1, scheduledFor: starts[0].scheduledFor },
      { owner: "b", fence: 2, scheduledFor: starts[0].scheduledFor },
    ]);
    const [status] = await b.status();
    expect(status).toMatchObject({ runs: 1, lastRunOn: "b", runningOn: null, lastOutcome: "ok" });
    expect(status.nextRunAt!.getTime()).toBe(starts[0].scheduledFor + 60_000);
    expect((await history("takeover")).map((row) => [row.owner, row.outcome])).toEqual([
      ["a", null],
      ["b", "ok"],
    ]);
  });

  it("refuses the outcome of a run whose lease was taken over, and aborts it", async () => {
    const parted = link(db);
    parted.state.cut = (sql) => sql === EXTEND;
    const release = deferred();
    let signal: AbortSignal | undefined;
    const a = replica("a", { db: parted.db, leaseMs: 300 });
    a.define({
      name: "stale-fence",
      periodMs: 60_000,
      async run(context) {
        signal = context.signal;
        await release.promise;
        return "a's result";
      },
    });
    const b = replica("b", { leaseMs: 300 });
    b.define({ name: "stale-fence", periodMs: 60_000, run: async () => "b's result" });
    await a.start();
    await eventually(() => signal, "a's run");
    await b.start();
    try {
      await eventually(async () => (await b.status())[0].lastOutcome === "ok", "b's run");
      // The partition heals: a's next renewal finds the newer fence and aborts its run.
      parted.state.cut = () => false;
      await eventually(() => signal!.aborted, "a's run aborted");
      release.resolve();
    } finally {
      release.resolve();
      await Promise.all([a.stop(), b.stop()]);
    }
    const [status] = await a.status();
    expect(status).toMatchObject({ runs: 1, failures: 0, lastRunOn: "b", lastOutcome: "ok" });
    expect(status.here).toEqual({ ok: 0, failed: 0, lost: 1 });
    const rows = await history("stale-fence");
    expect(rows.map((row) => [row.fence, row.owner, row.outcome])).toEqual([
      [1, "a", "lost"],
      [2, "b", "ok"],
    ]);
    expect(status.nextRunAt!.getTime()).toBe(rows[1].scheduled_for!.getTime() + 60_000);
  });
});
