import { openPg } from "./pg";
import { openPglite } from "./pglite";
import type { Db, DbOptions } from "./types";

export type { Db, DbOptions, Queryable, QueryOptions } from "./types";
export { migrate, type Migration } from "./migrate";
export { bulkInsert, type Column } from "./bulk";
export { BACKGROUND_SQL } from "./listeners";

/** Opens PostgreSQL when `url` is set, otherwise the embedded PGlite in `dataDir`. */
export function openDb(options: DbOptions = {}): Db {
  if (options.url) return openPg(options.url, options.maxConnections);
  const dataDir = options.dataDir && options.dataDir !== "memory://" ? options.dataDir : undefined;
  return openPglite(dataDir);
}
