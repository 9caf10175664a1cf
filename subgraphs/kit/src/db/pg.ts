import { Pool, types as pgTypes, type PoolClient } from "pg";
import type { Db, Queryable, QueryOptions } from "./types";
import { StatementListeners } from "./listeners";
import { pgListen } from "./pg-listen";
import { TEXT_PARSERS } from "./parsers";
import { querySpan } from "../tracing";

const typeParsers = {
  getTypeParser: ((oid: number, format?: string) =>
    TEXT_PARSERS[oid] ?? pgTypes.getTypeParser(oid, format as "text")) as typeof pgTypes.getTypeParser,
};

/** PostgreSQL over the network through a `pg` pool. */
export function openPg(url: string, maxConnections = 10): Db {
  const pool = new Pool({ connectionString: url, max: maxConnections, types: typeParsers });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  const listeners = new StatementListeners();
  const on = (client: Pool | PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = [], options?: QueryOptions) {
      listeners.emit(sql);
      const result = await querySpan(sql, () =>
        client.query({ text: sql, values: params as unknown[], name: options?.name }),
      );
      return result.rows as T[];
    },
  });
  const root = on(pool);
  return {
    driver: "pg",
    location: { url },
    query: root.query.bind(root),
    async exec(sql) {
      listeners.emit(sql);
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(on(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    onStatement: (listener) => listeners.add(listener),
    listen: (channel, handler) => pgListen(url, channel, handler),
    close: () => pool.end(),
  };
}
