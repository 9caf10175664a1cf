import { BACKGROUND_SQL, type Migration } from "../db";

export const SCHEDULER_SCHEMA = "scheduler";

/**
 * One row per job: its schedule, the lease of the run in progress and the last outcome; and the
 * history of runs, one row per claim (its fence), pruned to the newest rows of each job.
 */
export const schedulerMigrations: Migration[] = [
  {
    version: 1,
    description: "periodic jobs shared by replicas: schedule, lease and fence, last outcome; run history",
    sql: `
      CREATE TABLE scheduler.jobs (
        name text PRIMARY KEY,
        period_ms bigint NOT NULL CHECK (period_ms > 0),
        next_run_at timestamptz NOT NULL,
        fence bigint NOT NULL DEFAULT 0,
        lease_owner text,
        lease_until timestamptz,
        scheduled_for timestamptz,
        last_owner text,
        last_started_at timestamptz,
        last_finished_at timestamptz,
        last_succeeded_at timestamptz,
        last_outcome text CHECK (last_outcome IN ('ok', 'failed')),
        last_error text,
        runs bigint NOT NULL DEFAULT 0,
        failures bigint NOT NULL DEFAULT 0
      );
      CREATE TABLE scheduler.runs (
        name text NOT NULL,
        fence bigint NOT NULL,
        owner text NOT NULL,
        scheduled_for timestamptz,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        outcome text CHECK (outcome IN ('ok', 'failed', 'lost')),
        error text,
        PRIMARY KEY (name, fence)
      )
    `,
  },
];

// Background: statement-counting tests count what requests cause, not the scheduler's polling.
const sql = (text: string) => BACKGROUND_SQL + text;
const ms = (param: string) => `(${param}::double precision * interval '1 millisecond')`;

/**
 * $1 name, $2 period ms: a new job is due at once. A replica starting with the same period leaves
 * the schedule alone (pulling it closer would run a period twice); a shorter one brings the next
 * run within its period, or a daily job shortened for a test would wait out the day.
 */
export const DEFINE = sql(`INSERT INTO scheduler.jobs (name, period_ms, next_run_at) VALUES ($1, $2, now())
  ON CONFLICT (name) DO UPDATE SET period_ms = EXCLUDED.period_ms,
    next_run_at = CASE WHEN EXCLUDED.period_ms < scheduler.jobs.period_ms
      THEN least(scheduler.jobs.next_run_at, now() + ${ms("EXCLUDED.period_ms")})
      ELSE scheduler.jobs.next_run_at END`);

/**
 * $1 names: what each job waits for, in the database's time. While another replica runs a job,
 * its next period may begin before that lease ends, so the wait is the shorter of the two.
 */
export const PENDING = sql(`SELECT name,
    next_run_at <= now() AND (lease_until IS NULL OR lease_until < now()) AS due,
    extract(epoch FROM CASE WHEN lease_until >= now()
      THEN least(lease_until, greatest(next_run_at, now()) + ${ms("period_ms")})
      ELSE next_run_at END - now()) * 1000 AS wait_ms
  FROM scheduler.jobs WHERE name = ANY($1)`);

/**
 * $1 name, $2 owner, $3 lease ms, $4 out of schedule (runNow), $5 period ms. One statement takes
 * the lease, bumps the fence and opens the history row, so two replicas cannot both win a period.
 */
export const CLAIM = sql(`WITH claimed AS (
    UPDATE scheduler.jobs
       SET fence = fence + 1, lease_owner = $2, last_owner = $2, lease_until = now() + ${ms("$3")},
           scheduled_for = CASE WHEN $4::boolean THEN NULL ELSE next_run_at END,
           last_started_at = now(), period_ms = $5
     WHERE name = $1 AND ($4::boolean OR next_run_at <= now()) AND (lease_until IS NULL OR lease_until < now())
     RETURNING name, fence, lease_owner, scheduled_for, last_started_at
  )
  INSERT INTO scheduler.runs (name, fence, owner, scheduled_for, started_at)
  SELECT name, fence, lease_owner, scheduled_for, last_started_at FROM claimed
  RETURNING fence, scheduled_for`);

/** $1 name, $2 fence, $3 lease ms: nothing returned means another replica took the job over. */
export const EXTEND = sql(`UPDATE scheduler.jobs SET lease_until = now() + ${ms("$3")}
  WHERE name = $1 AND fence = $2 AND lease_owner IS NOT NULL RETURNING fence`);

/**
 * $1 name, $2 fence, $3 outcome, $4 error, $5 history rows kept. Only the holder of the newest
 * fence updates the job; a run whose lease was taken over is recorded as lost in its own row.
 * The next run is the first whole period after now on the grid of the scheduled time, so a
 * period is never run twice and periods missed while no replica ran are not made up in a burst.
 */
export const FINISH = sql(`WITH done AS (
    UPDATE scheduler.jobs
       SET lease_owner = NULL, lease_until = NULL, last_finished_at = now(),
           last_outcome = $3::text, last_error = $4::text, runs = runs + 1,
           failures = failures + CASE WHEN $3::text = 'failed' THEN 1 ELSE 0 END,
           last_succeeded_at = CASE WHEN $3::text = 'ok' THEN now() ELSE last_succeeded_at END,
           next_run_at = CASE WHEN scheduled_for IS NULL THEN next_run_at ELSE scheduled_for +
             (floor(extract(epoch FROM now() - scheduled_for) * 1000 / period_ms) + 1)::double precision
             * ${ms("period_ms")} END,
           scheduled_for = NULL
     WHERE name = $1 AND fence = $2
     RETURNING fence
  ), recorded AS (
    UPDATE scheduler.runs
       SET finished_at = now(), error = $4::text,
           outcome = CASE WHEN EXISTS (SELECT 1 FROM done) THEN $3::text ELSE 'lost' END
     WHERE name = $1 AND fence = $2
     RETURNING outcome
  ), pruned AS (
    DELETE FROM scheduler.runs WHERE name = $1 AND fence <= $2 - $5::bigint RETURNING 1
  )
  SELECT (SELECT count(*) FROM done)::int AS kept, (SELECT count(*) FROM pruned)::int AS pruned`);

/** $1 names. */
export const STATUS = sql(`SELECT name, next_run_at, last_started_at, last_finished_at, last_succeeded_at,
    last_outcome, last_error, runs, failures, last_owner,
    CASE WHEN lease_until >= now() THEN lease_owner END AS running_on
  FROM scheduler.jobs WHERE name = ANY($1) ORDER BY name`);
