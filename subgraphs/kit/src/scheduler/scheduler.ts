import { migrate } from "../db";
import {
  CLAIM,
  DEFINE,
  EXTEND,
  FINISH,
  PENDING,
  SCHEDULER_SCHEMA,
  schedulerMigrations,
  STATUS,
} from "./schema";
import { jobStatus, type StatusRow } from "./status";
import type { JobDefinition, RunOutcome, RunResult, Scheduler, SchedulerOptions } from "./types";

// A job due "now" is looked at again this soon at the earliest, so a clock step cannot spin the loop.
const MIN_WAIT_MS = 20;

const message = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2000) || "failed";

/**
 * Periodic jobs that run once per period across every replica sharing `db`: a replica claims a
 * due job by taking its lease in one UPDATE, renews the lease while the job runs, and records the
 * outcome only while it still holds the newest fence. Times are the database's (now()), so
 * replicas whose clocks disagree still agree on what is due.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { db, owner, logger } = options;
  const pollMs = options.pollMs ?? 10_000;
  const defaultLeaseMs = options.leaseMs ?? 60_000;
  const historyRows = options.historyRows ?? 500;
  const jobs = new Map<string, JobDefinition>();
  const here = new Map<string, Record<RunOutcome, number>>();
  const running = new Map<string, Promise<RunResult | null>>();
  let prepared: Promise<void> | null = null;
  let started = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();

  const prepare = () =>
    (prepared ??= (async () => {
      await migrate(db, SCHEDULER_SCHEMA, schedulerMigrations);
      for (const job of jobs.values()) await db.query(DEFINE, [job.name, job.periodMs]);
    })().catch((error: unknown) => {
      prepared = null;
      throw error;
    }));

  async function execute(job: JobDefinition, outOfSchedule: boolean): Promise<RunResult | null> {
    const leaseMs = job.leaseMs ?? defaultLeaseMs;
    const [claim] = await db.query<{ fence: number; scheduled_for: Date | null }>(CLAIM, [
      job.name,
      owner,
      leaseMs,
      outOfSchedule,
      job.periodMs,
    ]);
    if (!claim) return null;
    const fence = Number(claim.fence);
    const controller = new AbortController();
    let renewing: Promise<unknown> = Promise.resolve();
    const renewal = setInterval(
      () => {
        renewing = db.query(EXTEND, [job.name, fence, leaseMs]).then(
          (rows) => {
            if (rows.length === 0) controller.abort(new Error(`another replica took over ${job.name}`));
          },
          (error: unknown) => logger.warn({ err: error, job: job.name }, "job lease not renewed yet"),
        );
      },
      Math.max(1, Math.floor(leaseMs / 3)),
    );
    renewal.unref();
    let result: RunResult;
    try {
      const value = await job.run({ signal: controller.signal, fence, scheduledFor: claim.scheduled_for });
      result = { outcome: "ok", error: null, value };
    } catch (error) {
      result = { outcome: "failed", error: message(error) };
    } finally {
      clearInterval(renewal);
    }
    // A renewal landing after the finish would hold the job for a whole lease with nobody running it.
    await renewing;
    try {
      const [finished] = await db.query<{ kept: number }>(FINISH, [
        job.name,
        fence,
        result.outcome,
        result.error,
        historyRows,
      ]);
      if (Number(finished?.kept ?? 0) === 0) result = { ...result, outcome: "lost" };
    } catch (error) {
      // Unrecorded, the lease runs out and another replica runs this period again.
      logger.error({ err: error, job: job.name }, "job outcome not recorded");
      result = { ...result, outcome: "lost" };
    }
    const counts = here.get(job.name)!;
    counts[result.outcome] += 1;
    if (result.outcome === "failed")
      logger.error({ job: job.name, fence, error: result.error }, "scheduled job failed");
    else if (result.outcome === "lost")
      logger.warn({ job: job.name, fence }, "scheduled job finished after losing its lease");
    else logger.debug({ job: job.name, fence }, "scheduled job done");
    return result;
  }

  function launch(job: JobDefinition, outOfSchedule: boolean): Promise<RunResult | null> {
    const run = execute(job, outOfSchedule)
      .catch((error: unknown) => {
        logger.warn({ err: error, job: job.name }, "scheduled job not claimed; trying again");
        return null;
      })
      .finally(() => {
        running.delete(job.name);
        if (started) wake(0);
      });
    running.set(job.name, run);
    return run;
  }

  async function tick(): Promise<void> {
    let wait = pollMs;
    try {
      const rows = await db.query<{ name: string; due: boolean; wait_ms: number }>(PENDING, [
        [...jobs.keys()],
      ]);
      for (const row of rows) {
        const job = jobs.get(row.name);
        if (!job || running.has(row.name) || stopped) continue;
        if (row.due) void launch(job, false);
        else wait = Math.min(wait, Number(row.wait_ms));
      }
    } catch (error) {
      logger.warn({ err: error }, "job schedule not read; trying again");
    }
    wake(wait);
  }

  function wake(waitMs: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(
      () => {
        ticking = tick();
      },
      Math.max(MIN_WAIT_MS, Math.min(pollMs, waitMs)),
    );
    timer.unref();
  }

  return {
    owner,
    define(job) {
      if (started || prepared) throw new Error(`job ${job.name} defined after the scheduler started`);
      if (jobs.has(job.name)) throw new Error(`job ${job.name} is defined twice`);
      if (!Number.isInteger(job.periodMs) || job.periodMs <= 0)
        throw new Error(`job ${job.name}: periodMs must be a positive integer, got ${job.periodMs}`);
      jobs.set(job.name, job);
      here.set(job.name, { ok: 0, failed: 0, lost: 0 });
    },
    async start() {
      if (started) return;
      await prepare();
      started = true;
      stopped = false;
      ticking = tick();
      await ticking;
    },
    async stop() {
      stopped = true;
      started = false;
      clearTimeout(timer);
      await ticking;
      await Promise.all(running.values());
    },
    async runNow(name) {
      const job = jobs.get(name);
      if (!job) throw new Error(`no job ${name}`);
      await prepare();
      if (running.has(name)) return null;
      return launch(job, true);
    },
    async status() {
      await prepare();
      const rows = await db.query<StatusRow>(STATUS, [[...jobs.keys()]]);
      const byName = new Map(rows.map((row) => [row.name, row]));
      return [...jobs.values()].map((job) => jobStatus(job, byName.get(job.name), here.get(job.name)!));
    },
  };
}
