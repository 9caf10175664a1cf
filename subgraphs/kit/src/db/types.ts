/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  /**
   * Runs one parameterised statement ($1, $2, ...) and returns its rows. With `options.name`
   * the pg driver prepares the statement once per connection under that name, so a statement
   * sent many times (the audit append) is parsed and planned once; PGlite ignores it. A name
   * must always stand for the same text.
   */
  query<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<T[]>;
}

export interface QueryOptions {
  /** Prepared-statement name (pg only). Default none: parsed and planned on every call. */
  name?: string;
}

/**
 * The one data-access interface of every registry and store. Both drivers return the same
 * shapes: int8 and numeric as JS numbers, date as "YYYY-MM-DD", timestamptz as Date.
 */
export interface Db extends Queryable {
  readonly driver: "pg" | "pglite";
  /** Where the data lives, for opening a second handle elsewhere (a worker thread): a URL, a directory, or memory (null). */
  readonly location?: { url: string } | { dataDir: string | null };
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls `listener` with the text of every statement sent; returns the unsubscribe function. */
  onStatement(listener: (sql: string) => void): () => void;
  /**
   * Calls `handler` with the payload of every NOTIFY on `channel` (a lower-case identifier) from
   * now on; resolves with the unsubscribe function. pg: a dedicated connection, re-established
   * after a loss; PGlite: notifications of this process only. Absent where a driver cannot listen.
   */
  listen?(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres:// URL. Unset: embedded PostgreSQL (PGlite) in `dataDir`. */
  url?: string;
  /** PGlite data directory; "memory://" or unset with no url keeps data in memory. Default none. */
  dataDir?: string;
  /** Pool size for the pg driver. Default 10. */
  maxConnections?: number;
}
