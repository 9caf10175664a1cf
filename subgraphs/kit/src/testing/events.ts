import type { Queryable } from "../db";
import { memoryBus } from "../events/memory";
import type { InvalidationBus, InvalidationEvent } from "../events/types";

/** An outbox row as tests inspect it; `txid` is the recording transaction, comparable with xmin. */
export interface OutboxRow {
  seq: number;
  id: string;
  type: string;
  key: string | null;
  tags: string[];
  sent: boolean;
  txid: string;
}

/** Every row of a registry's outbox, oldest first. */
export function outboxRows(db: Queryable, schema: string): Promise<OutboxRow[]> {
  return db.query<OutboxRow>(
    `SELECT seq, id, type, key, tags, sent_at IS NOT NULL AS sent, (txid % 4294967296)::text AS txid
       FROM ${schema}.outbox ORDER BY seq`,
  );
}

/** The transaction (xmin) that last wrote the rows of `table` matching `where`, for same-transaction checks. */
export async function writerOf(
  db: Queryable,
  table: string,
  where: string,
  params: unknown[],
): Promise<string[]> {
  const rows = await db.query<{ txid: string }>(
    `SELECT xmin::text AS txid FROM ${table} WHERE ${where}`,
    params,
  );
  return rows.map((row) => row.txid);
}

/**
 * Polls `probe` until it returns a value other than undefined or false; throws naming `what`
 * after `timeoutMs` (default 10,000), a bound for a hung test, not a timing assertion.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Collects every event on `bus` (default: a handle on the memory bus) from now on. */
export async function collectEvents(
  bus: InvalidationBus = memoryBus(),
): Promise<{ events: InvalidationEvent[]; stop(): Promise<void> }> {
  const events: InvalidationEvent[] = [];
  const unsubscribe = await bus.subscribe((event) => events.push(event));
  return {
    events,
    async stop() {
      await unsubscribe();
    },
  };
}
