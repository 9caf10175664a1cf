import { randomUUID } from "node:crypto";
import { BACKGROUND_SQL, type Db } from "../db";
import type { Logger } from "../logger";
import type { InvalidationBus, InvalidationEvent } from "./types";

export interface OutboxRelayOptions {
  db: Db;
  /** The registry's PostgreSQL schema, which holds its outbox. */
  schema: string;
  /** The registry's name, carried in every event as `source`. */
  source: string;
  bus: InvalidationBus;
  logger: Logger;
  /** Pause between looks at an empty outbox. Default 100 ms. */
  intervalMs?: number;
  /** Rows published per round. Default 100. */
  batchSize?: number;
  /** Longest pause after failures; the pause doubles from intervalMs. Default 5000 ms. */
  maxBackoffMs?: number;
  /** How long sent rows are kept before they are pruned. Default one day. */
  retentionMs?: number;
  /** How often sent rows past retention are deleted. Default 60,000 ms. */
  pruneEveryMs?: number;
  /** How long the relay holding the lease may publish without renewing it. Default 10,000 ms. */
  leaseMs?: number;
}

export interface OutboxRelay {
  /** Ends the polling after the round in flight and hands the lease back. */
  stop(): Promise<void>;
}

interface Row {
  seq: number;
  id: string;
  type: string;
  key: string | null;
  tags: string[];
  recordedAt: Date;
}

/**
 * Publishes the outbox's pending events in order and marks them sent, until stopped. Replicas of
 * one registry share the outbox: only the holder of the lease row publishes, so no two relays
 * publish concurrently, and a relay that dies hands over when its lease expires (the rows it
 * published but had not yet marked go out again: events carry ids so that is harmless). A bus
 * failure leaves rows pending and retries with backoff; rows are never dropped unsent.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, bus, logger } = options;
  const s = options.schema;
  const interval = options.intervalMs ?? 100;
  const batchSize = options.batchSize ?? 100;
  const leaseMs = options.leaseMs ?? 10_000;
  const me = randomUUID();
  const sql = (text: string) => BACKGROUND_SQL + text;
  let failures = 0;
  let lastPrune = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  /** True when this relay holds the lease, now extended; the lease is on the database's clock. */
  async function lease(): Promise<boolean> {
    const rows = await db.query(
      sql(`INSERT INTO ${s}.outbox_lease AS l (id, holder, expires_at)
           VALUES (true, $1, now() + $2::double precision * interval '1 millisecond')
           ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE l.holder = excluded.holder OR l.expires_at < now()
           RETURNING holder`),
      [me, leaseMs],
    );
    return rows.length === 1;
  }

  /** Publishes one batch; returns how many rows were sent. */
  async function round(): Promise<number> {
    const next = await db.query(sql(`SELECT 1 FROM ${s}.outbox WHERE sent_at IS NULL LIMIT 1`));
    if (next.length === 0 || !(await lease())) return 0;
    // Stop well before the lease runs out, so a slow bus cannot let a second relay overlap.
    const deadline = Date.now() + leaseMs / 2;
    const rows = await db.query<Row>(
      sql(`SELECT seq, id, type, key, tags, recorded_at AS "recordedAt" FROM ${s}.outbox
            WHERE sent_at IS NULL ORDER BY seq LIMIT $1`),
      [batchSize],
    );
    const sent: number[] = [];
    try {
      for (const row of rows) {
        if (Date.now() > deadline) break;
        await bus.publish(toEvent(row, options.source));
        sent.push(row.seq);
      }
    } finally {
      if (sent.length > 0) {
        await db.query(sql(`UPDATE ${s}.outbox SET sent_at = now() WHERE seq = ANY($1)`), [sent]);
      }
    }
    return sent.length;
  }

  async function prune(): Promise<void> {
    if (Date.now() - lastPrune < (options.pruneEveryMs ?? 60_000)) return;
    lastPrune = Date.now();
    await db.query(
      sql(`DELETE FROM ${s}.outbox WHERE sent_at < now() - $1::double precision * interval '1 millisecond'`),
      [options.retentionMs ?? 86_400_000],
    );
  }

  async function tick(): Promise<void> {
    let delay = interval;
    try {
      const sent = await round();
      if (failures > 0) logger.info({ schema: s }, "outbox relay: publishing again");
      failures = 0;
      // A full batch means more are waiting: go on at once.
      if (sent === batchSize) delay = 0;
      await prune();
    } catch (error) {
      if (failures === 0) logger.warn({ err: error, schema: s }, "outbox relay: publishing failed; retrying");
      failures += 1;
      delay = Math.min(options.maxBackoffMs ?? 5000, interval * 2 ** failures);
    }
    if (!stopped) timer = setTimeout(schedule, delay);
  }

  function schedule(): void {
    running = tick();
  }

  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await db
        .query(sql(`UPDATE ${s}.outbox_lease SET expires_at = now() WHERE holder = $1`), [me])
        .catch(() => undefined);
    },
  };
}

function toEvent(row: Row, source: string): InvalidationEvent {
  return {
    id: row.id,
    source,
    type: row.type,
    key: row.key,
    tags: row.tags,
    at: new Date(row.recordedAt).toISOString(),
  };
}
