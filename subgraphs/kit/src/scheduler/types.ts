import type { Db } from "../db";
import type { Logger } from "../logger";

/** What a run is given. */
export interface JobContext {
  /** Aborted when the lease is lost (another replica took the job over): stop writing then. */
  signal: AbortSignal;
  /** Grows with every claim of the job; a write guarded by it cannot come from a superseded run. */
  fence: number;
  /** The period this run is for; null for a run out of schedule (runNow). */
  scheduledFor: Date | null;
}

export interface JobDefinition {
  /** Unique across every service sharing the database, e.g. "audit-retention". */
  name: string;
  /** One run per period across all replicas, on the grid of the first scheduled time. */
  periodMs: number;
  /**
   * How long a run holds the job without renewing; renewed every third of it while running, so
   * it only bounds how soon another replica takes over from one that died. Default the scheduler's leaseMs.
   */
  leaseMs?: number;
  /** The work; a rejection is recorded as a failed run and the next period runs as usual. */
  run(context: JobContext): Promise<unknown>;
}

export type RunOutcome = "ok" | "failed" | "lost";

/** One finished run as its replica saw it. "lost": another replica took the lease before it finished. */
export interface RunResult {
  outcome: RunOutcome;
  error: string | null;
  value?: unknown;
}

/** A job as the shared table records it, with this process's share of the runs. */
export interface JobStatus {
  name: string;
  periodMs: number;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastSucceededAt: Date | null;
  lastOutcome: "ok" | "failed" | null;
  lastError: string | null;
  /** Finished runs of every replica. */
  runs: number;
  failures: number;
  nextRunAt: Date | null;
  /** The owner holding the lease now; null between runs. */
  runningOn: string | null;
  /** The owner of the latest run. */
  lastRunOn: string | null;
  /** Runs this process finished, by outcome, since it started. */
  here: Record<RunOutcome, number>;
}

export interface SchedulerOptions {
  /** The database every replica shares: the schedule, leases and history live there. */
  db: Db;
  /** This process's name in leases and history (the gateway: AUDIT_REPLICA); unique per replica. */
  owner: string;
  logger: Logger;
  /**
   * Longest wait between looks at the schedule; the scheduler wakes earlier when a job is due,
   * so this only bounds how late it notices another replica's changes. Default 10000 ms.
   */
  pollMs?: number;
  /** Lease of a job that sets none. Default 60000 ms. */
  leaseMs?: number;
  /** History rows kept per job in scheduler.runs; older ones are deleted as runs finish. Default 500. */
  historyRows?: number;
}

export interface Scheduler {
  readonly owner: string;
  /** Adds a job; before start() only. */
  define(job: JobDefinition): void;
  /** Migrates the scheduler schema, registers the jobs and starts running those that are due. */
  start(): Promise<void>;
  /** Stops looking for due jobs and waits for the runs in progress to finish. */
  stop(): Promise<void>;
  /**
   * Runs a job now, outside its schedule (its next period stays where it is); null when another
   * replica holds it.
   */
  runNow(name: string): Promise<RunResult | null>;
  /** Every defined job, from the shared table. */
  status(): Promise<JobStatus[]>;
}
