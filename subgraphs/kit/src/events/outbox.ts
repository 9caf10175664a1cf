import { randomUUID } from "node:crypto";
import type { Db, Migration, Queryable } from "../db";

/** What a mutation records about one changed entity; the relay adds id, source and time. */
export interface ChangeEvent {
  /** Entity type, e.g. "Person". */
  type: string;
  /** The entity's key value; null when only tags are invalidated. */
  key: string | null;
  /** Related groups to drop as well, written "Type:key", e.g. "Household:H99010100000001". Default none. */
  tags?: readonly string[];
}

const SAFE_NAME = /^[a-z_][a-z0-9_]*$/;

function checkedSchema(schema: string): string {
  if (!SAFE_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}

/**
 * The migration that gives a registry its transactional outbox: `outbox` holds the events of
 * committed changes until the relay has published them (with the id of the transaction that
 * recorded them, to trace an event to its change), `outbox_lease` says which relay may publish. Every registry lists it in its migrations under a version of its own choosing.
 */
export function outboxMigration(schema: string, version: number): Migration {
  const s = checkedSchema(schema);
  return {
    version,
    description: "transactional outbox of invalidation events",
    sql: `
      CREATE TABLE ${s}.outbox (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text NOT NULL UNIQUE,
        type text NOT NULL,
        key text,
        tags text[] NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        txid bigint NOT NULL DEFAULT txid_current(),
        sent_at timestamptz
      );
      CREATE INDEX outbox_pending_idx ON ${s}.outbox (seq) WHERE sent_at IS NULL;
      CREATE INDEX outbox_sent_idx ON ${s}.outbox (sent_at) WHERE sent_at IS NOT NULL;
      CREATE TABLE ${s}.outbox_lease (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
      )
    `,
  };
}

/**
 * Records the invalidation events of a change inside the change's own transaction `tx`, so they
 * commit or roll back with it; the relay publishes them after the commit. Returns the event ids.
 */
export async function recordChange(
  tx: Queryable,
  schema: string,
  events: readonly ChangeEvent[],
): Promise<string[]> {
  const s = checkedSchema(schema);
  if (events.length === 0) return [];
  const rows = events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    key: event.key,
    tags: [...new Set(event.tags ?? [])],
  }));
  // One statement for any number of events; ordinality keeps their order in seq.
  await tx.query(
    `INSERT INTO ${s}.outbox (id, type, key, tags)
     SELECT e->>'id', e->>'type', e->>'key', ARRAY(SELECT jsonb_array_elements_text(e->'tags'))
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t (e, n) ORDER BY n`,
    [JSON.stringify(rows)],
  );
  return rows.map((row) => row.id);
}

/** What a change function returns: its result and the events that announce it. */
export interface Change<T> {
  result: T;
  events: readonly ChangeEvent[];
}

/**
 * Runs `change` in one transaction and records its events in the outbox of `schema` in that
 * same transaction: the change and its announcement commit together or not at all.
 */
export async function applyChange<T>(
  /**
   * The database, or a request's context: its `announce` is told the events once they committed,
   * with their outbox ids, and the registry returns them with its answer, so the gateway drops
   * what they make stale before it answers (read after write).
   */
  target: Db | { db: Db; announce?: (events: AnnouncedChange[]) => void },
  schema: string,
  change: (tx: Queryable) => Promise<Change<T>>,
): Promise<T> {
  const { db, announce } = "db" in target ? target : { db: target, announce: undefined };
  let announced: AnnouncedChange[] = [];
  const result = await db.transaction(async (tx) => {
    const { result, events } = await change(tx);
    const ids = await recordChange(tx, schema, events);
    announced = events.map((event, at) => ({
      id: ids[at],
      type: event.type,
      key: event.key,
      tags: [...new Set(event.tags ?? [])],
    }));
    return result;
  });
  announce?.(announced);
  return result;
}

/** A committed change event as a registry announces it: its outbox id, type, key and tags. */
export interface AnnouncedChange {
  id: string;
  type: string;
  key: string | null;
  tags: string[];
}
