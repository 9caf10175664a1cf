import { BACKGROUND_SQL, type Db, type Logger } from "@onecert/subgraph-kit";
import type { Scheduler } from "@onecert/subgraph-kit/scheduler";
import type { UsageSource } from "../types";

/** Per-field usage counts, aggregated in memory and written in batches. */
export interface UsageRecorder extends UsageSource {
  /** Counts one request of `clientId` selecting each of `fields` ("Type.field"). */
  record(clientId: string, fields: Iterable<string>, at?: Date): void;
  /** Writes the counts gathered so far; a failed write keeps them for the next one. */
  flush(): Promise<void>;
  /**
   * Deletes counts of days more than `retentionDays` before `now` (also the scheduler's
   * "usage-prune" job); resolves with rows deleted.
   */
  prune(now?: Date): Promise<number>;
  /** Stops the flush timer and writes what is left. */
  close(): Promise<void>;
  /** Requests per day (UTC), field and client for `fields` over the days from `from` to `to`. */
  daily(
    fields: Iterable<string>,
    from: Date,
    to: Date,
  ): Promise<{ day: string; field: string; clientId: string; requests: number }[]>;
}

export interface UsageRecorderOptions {
  db: Db;
  /** Write the gathered counts this often. Default 5000 ms. */
  flushIntervalMs?: number;
  /** Days of counts kept; older days are deleted by the prune job. Keep it at least the usage window. Default 400. */
  retentionDays?: number;
  /**
   * Runs pruning as the job "usage-prune", once per period across the replicas sharing its
   * database. Default none: counts are pruned only when prune() is called.
   */
  scheduler?: Scheduler;
  /** The prune job's period. Default 86400000 ms (daily). */
  pruneIntervalMs?: number;
  logger: Logger;
}

interface Pending {
  day: string;
  client_id: string;
  field: string;
  requests: number;
  last_used: Date;
}

const UPSERT = `${BACKGROUND_SQL}INSERT INTO usage.field_usage (day, client_id, field, requests, last_used)
  SELECT day, client_id, field, requests, last_used
    FROM jsonb_to_recordset($1::jsonb)
      AS r (day date, client_id text, field text, requests bigint, last_used timestamptz)
  ON CONFLICT (field, day, client_id) DO UPDATE
    SET requests = usage.field_usage.requests + EXCLUDED.requests,
        last_used = greatest(usage.field_usage.last_used, EXCLUDED.last_used)`;

/**
 * Counts in memory and upserts one statement per flush, so a request costs no database round
 * trip. Counts carry their UTC day, so the breaking-change check can use any window.
 */
export function createUsageRecorder(options: UsageRecorderOptions): UsageRecorder {
  const { db, logger } = options;
  let pending = new Map<string, Pending>();
  let writing: Promise<void> = Promise.resolve();

  const add = (entry: Pending) => {
    const key = `${entry.day}\u0000${entry.client_id}\u0000${entry.field}`;
    const existing = pending.get(key);
    if (!existing) return void pending.set(key, { ...entry });
    existing.requests += entry.requests;
    if (entry.last_used > existing.last_used) existing.last_used = entry.last_used;
  };

  const write = async () => {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    try {
      await db.query(UPSERT, [JSON.stringify(batch)]);
    } catch (error) {
      // Nothing counted is dropped: the batch goes back and rides along with the next flush.
      for (const entry of batch) add(entry);
      throw error;
    }
  };
  const flush = () => {
    writing = writing.catch(() => undefined).then(write);
    return writing;
  };

  // The flush stays on this replica's timer: it writes the counts this process holds in memory.
  const timer = setInterval(() => {
    flush().catch((error: unknown) => logger.warn({ err: error }, "field usage not saved yet; retrying"));
  }, options.flushIntervalMs ?? 5000);
  timer.unref();
  const retentionDays = options.retentionDays ?? 400;
  const prune = async (now = new Date()) => {
    const before = new Date(now.getTime() - retentionDays * 86_400_000).toISOString().slice(0, 10);
    const rows = await db.query<{ deleted: number }>(
      `${BACKGROUND_SQL}WITH gone AS (DELETE FROM usage.field_usage WHERE day < $1::date RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [before],
    );
    return Number(rows[0]?.deleted ?? 0);
  };
  options.scheduler?.define({
    name: "usage-prune",
    periodMs: options.pruneIntervalMs ?? 86_400_000,
    run: () => prune(),
  });

  return {
    record(clientId, fields, at = new Date()) {
      const day = at.toISOString().slice(0, 10);
      for (const field of fields) add({ day, client_id: clientId, field, requests: 1, last_used: at });
    },
    flush,
    prune,
    async close() {
      clearInterval(timer);
      await flush().catch((error: unknown) =>
        logger.error({ err: error, counts: pending.size }, "field usage could not be saved at shutdown"),
      );
    },
    async daily(fields, from, to) {
      await flush();
      const rows = await db.query<{ day: string; field: string; client_id: string; requests: number }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, field, client_id, sum(requests)::int AS requests
           FROM usage.field_usage WHERE field = ANY($1) AND day >= $2::date AND day <= $3::date
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        [[...fields], from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)],
      );
      return rows.map((row) => ({
        day: row.day,
        field: row.field,
        clientId: row.client_id,
        requests: Number(row.requests),
      }));
    },
    async usage(fields, since) {
      await flush();
      const rows = await db.query<{ field: string; client_id: string; requests: number; last_used: Date }>(
        `SELECT field, client_id, sum(requests) AS requests, max(last_used) AS last_used
           FROM usage.field_usage WHERE field = ANY($1) AND day >= $2::date
          GROUP BY field, client_id ORDER BY field, client_id`,
        [[...fields], since.toISOString().slice(0, 10)],
      );
      return rows.map((row) => ({
        field: row.field,
        clientId: row.client_id,
        requests: Number(row.requests),
        lastUsed: row.last_used.toISOString(),
      }));
    },
  };
}
