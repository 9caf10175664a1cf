import { Counter, Gauge, type Registry } from "prom-client";
import type { JobStatus, RunOutcome, Scheduler } from "@onecert/subgraph-kit/scheduler";

const OUTCOMES: RunOutcome[] = ["ok", "failed", "lost"];

/**
 * Exports the scheduled jobs on /metrics, read at each scrape:
 * - onecert_job_runs_total{job,outcome}: runs this replica finished (summed over replicas, every
 *   run once; "lost": finished after another replica took the job over);
 * - onecert_job_last_success_timestamp_seconds{job}: the last successful run of any replica, from
 *   the shared table (the same on every replica; alert when it falls a period or more behind);
 * - onecert_job_running{job}: 1 while this replica holds the job's lease.
 * When the table cannot be read, the shared values are left out and the local counts stay.
 */
export function registerSchedulerMetrics(registry: Registry, scheduler: Scheduler): void {
  // One scrape collects every metric at once: they share one read of the table.
  let reading: Promise<JobStatus[] | null> | null = null;
  const read = () =>
    (reading ??= scheduler
      .status()
      .catch(() => null)
      .finally(() => {
        reading = null;
      }));

  new Counter({
    name: "onecert_job_runs_total",
    help: "Scheduled job runs this replica finished, by job and outcome (ok, failed, lost).",
    labelNames: ["job", "outcome"],
    registers: [registry],
    async collect() {
      const jobs = await read();
      if (!jobs) return;
      this.reset();
      for (const job of jobs)
        for (const outcome of OUTCOMES) this.inc({ job: job.name, outcome }, job.here[outcome]);
    },
  });
  new Gauge({
    name: "onecert_job_last_success_timestamp_seconds",
    help: "When the scheduled job last succeeded on any replica (Unix seconds).",
    labelNames: ["job"],
    registers: [registry],
    async collect() {
      const jobs = await read();
      this.reset();
      for (const job of jobs ?? [])
        if (job.lastSucceededAt) this.set({ job: job.name }, job.lastSucceededAt.getTime() / 1000);
    },
  });
  new Gauge({
    name: "onecert_job_running",
    help: "1 while this replica runs the scheduled job, else 0.",
    labelNames: ["job"],
    registers: [registry],
    async collect() {
      const jobs = await read();
      this.reset();
      for (const job of jobs ?? []) this.set({ job: job.name }, job.runningOn === scheduler.owner ? 1 : 0);
    },
  });
}
