import {
  InMemoryLRUCache,
  type KeyValueCache,
  type KeyValueCacheSetOptions,
} from "@apollo/utils.keyvaluecache";
import type { OperationStore } from "@onecert/access";

/** Apollo Server wraps `persistedQueries.cache` in a PrefixingKeyValueCache with this prefix. */
export const APQ_PREFIX = "apq:";

/**
 * The cache for ApolloServer's `persistedQueries.cache`: registered operations resolve by hash
 * alone for every client, anything else is ordinary APQ kept in `fallback` (default an
 * in-memory LRU). The fallback is asked first: for a hash it holds, the text is the same
 * (Apollo checks the hash before storing), and ordinary APQ traffic then never reaches the
 * database. Lookup failures count as misses: Apollo would turn them into a 500, a miss only
 * makes the client send the full query.
 */
export function persistedQueryCache(
  operations: Pick<OperationStore, "get">,
  fallback: KeyValueCache<string> = new InMemoryLRUCache<string>(),
): KeyValueCache<string> {
  return {
    async get(key) {
      const cached = await missOnError(() => fallback.get(key));
      if (cached !== undefined) return cached;
      const hash = key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key;
      return (await missOnError(() => operations.get(hash)))?.query;
    },
    set: (key: string, value: string, options?: KeyValueCacheSetOptions) => fallback.set(key, value, options),
    delete: (key) => fallback.delete(key),
  };
}

async function missOnError<T>(lookup: () => Promise<T>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch {
    return undefined;
  }
}
