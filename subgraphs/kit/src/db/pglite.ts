import { PGlite } from "@electric-sql/pglite";
import { mkdirSync } from "node:fs";
import type { Db, Queryable } from "./types";
import { StatementListeners } from "./listeners";
import { checkChannel } from "./pg-listen";
import { TEXT_PARSERS } from "./parsers";
import { querySpan } from "../tracing";

interface Shared {
  instance: PGlite;
  users: number;
}

// PGlite is one single-user PostgreSQL per process and data directory; registries share it by schema.
const instances = new Map<string, Shared>();

function acquire(dataDir: string | undefined): { key: string; shared: Shared } {
  const key = dataDir ?? `memory:${instances.size}:${Math.random()}`;
  let shared = instances.get(key);
  if (!shared) {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    shared = { instance: new PGlite({ dataDir, parsers: TEXT_PARSERS }), users: 0 };
    instances.set(key, shared);
  }
  shared.users += 1;
  return { key, shared };
}

/**
 * Embedded PostgreSQL. Handles opened on the same data directory share one instance; the
 * instance closes with its last handle. No data directory: a private in-memory database.
 */
export function openPglite(dataDir?: string): Db {
  const { key, shared } = acquire(dataDir);
  const listeners = new StatementListeners();
  let closed = false;
  const on = (target: Pick<PGlite, "query">): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      listeners.emit(sql);
      const result = await querySpan(sql, () => target.query<T>(sql, params as unknown[]));
      return result.rows;
    },
  });
  const root = on(shared.instance);
  return {
    driver: "pglite",
    location: { dataDir: dataDir ?? null },
    query: root.query.bind(root),
    async exec(sql) {
      listeners.emit(sql);
      await shared.instance.exec(sql);
    },
    transaction: (fn) => shared.instance.transaction((tx) => fn(on(tx))),
    onStatement: (listener) => listeners.add(listener),
    async listen(channel, handler) {
      checkChannel(channel);
      const unlisten = await shared.instance.listen(channel, handler);
      return () => unlisten();
    },
    async close() {
      if (closed) return;
      closed = true;
      shared.users -= 1;
      if (shared.users === 0) {
        instances.delete(key);
        await shared.instance.close();
      }
    },
  };
}
