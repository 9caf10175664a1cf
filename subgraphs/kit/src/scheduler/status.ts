import type { JobDefinition, JobStatus, RunOutcome } from "./types";

/** A row of the STATUS query. */
export interface StatusRow {
  name: string;
  next_run_at: Date;
  last_started_at: Date | null;
  last_finished_at: Date | null;
  last_succeeded_at: Date | null;
  last_outcome: "ok" | "failed" | null;
  last_error: string | null;
  runs: number;
  failures: number;
  last_owner: string | null;
  running_on: string | null;
}

/** A defined job as reported: its row (none before the scheduler registered it) and local counts. */
export function jobStatus(
  job: JobDefinition,
  row: StatusRow | undefined,
  here: Record<RunOutcome, number>,
): JobStatus {
  return {
    name: job.name,
    periodMs: job.periodMs,
    lastStartedAt: row?.last_started_at ?? null,
    lastFinishedAt: row?.last_finished_at ?? null,
    lastSucceededAt: row?.last_succeeded_at ?? null,
    lastOutcome: row?.last_outcome ?? null,
    lastError: row?.last_error ?? null,
    runs: Number(row?.runs ?? 0),
    failures: Number(row?.failures ?? 0),
    nextRunAt: row?.next_run_at ?? null,
    runningOn: row?.running_on ?? null,
    lastRunOn: row?.last_owner ?? null,
    here: { ...here },
  };
}
