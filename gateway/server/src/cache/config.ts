import {
  defineSettings,
  env as value,
  INVALIDATION_CHANNEL,
  setting,
  withDefault,
  type Env,
  type ValueSchema,
} from "@onecert/subgraph-kit";

/** The caches' settings (see the README's configuration table). */
export interface CacheConfig {
  /** Entity and response caching. Env CACHE_ENABLED, default true. */
  enabled: boolean;
  /** Redis Cluster seed nodes ("host:port"); when set the cache uses the cluster, not REDIS_URL. Env REDIS_CLUSTER_NODES. */
  clusterNodes: string[];
  /** First part of every cache key; must start with "onecert:". Env CACHE_KEY_PREFIX, default "onecert:cache:". */
  keyPrefix: string;
  /** In-process cache bound (no Redis). Env CACHE_MAX_ENTRIES, default 10000. */
  maxEntries: number;
  /** In-process cache bound in bytes. Env CACHE_MAX_BYTES, default 64 MiB. */
  maxBytes: number;
  /** Seconds for types without a @cacheControl hint, e.g. {Household: 300}. Env CACHE_DEFAULT_TTLS "Type=seconds,...", default none. */
  defaultTtls: Record<string, number>;
  /** Longest time anything is cached, in seconds; longer hints are cut. Env CACHE_MAX_TTL, default 600. */
  maxTtlSeconds: number;
  /** Longest wait for Redis before a lookup counts as a miss. Env CACHE_REDIS_TIMEOUT_MS, default 200. */
  redisTimeoutMs: number;
  /** Adds `x-cache: HIT | MISS | PARTIAL` to responses. Env CACHE_DEBUG_HEADER, default on when NODE_ENV=development. */
  debugHeader: boolean;
  /** Redis stream (or in-process channel) of invalidation events. Env INVALIDATION_CHANNEL, default "onecert:invalidation". */
  invalidationChannel: string;
  /** Query plans kept in memory, in bytes. Env QUERY_PLAN_CACHE_BYTES, default 30 MiB (Apollo's). */
  queryPlanCacheBytes: number;
  /** How long an automatic persisted query is kept, in seconds. Env APQ_TTL, default 86400. */
  apqTtlSeconds: number;
}

const TTL = /^([A-Za-z_]\w*)\s*=\s*(\d{1,6})$/;
/** "Household=300, Mortgage=60" → {Household: 300, Mortgage: 60}. */
const defaultTtls: ValueSchema<Record<string, number>> = value
  .list(value.matching(TTL, "Type=seconds"))
  .transform((items: string[]) => {
    const ttls: Record<string, number> = {};
    for (const item of items) {
      const [, type, seconds] = TTL.exec(item) ?? [];
      if (type) ttls[type] = Number(seconds);
    }
    return ttls;
  });

export const CACHE_SETTINGS = defineSettings("cache", {
  CACHE_ENABLED: withDefault(value.flag(), true, "entity and response caching"),
  REDIS_CLUSTER_NODES: withDefault(
    value.list(value.matching(/^[\w.-]+:\d{1,5}$/, "host:port")),
    [],
    "Redis Cluster seed nodes for the cache, `host:port,host:port`",
  ),
  CACHE_KEY_PREFIX: withDefault(
    value.matching(/^onecert:[\w.:-]*$/, 'a prefix starting with "onecert:" of letters, digits and _.:-'),
    "onecert:cache:",
    "first part of every cache key in Redis",
  ),
  CACHE_MAX_ENTRIES: withDefault(value.integer(1, 100_000_000), 10_000, "in-process cache: most entries"),
  CACHE_MAX_BYTES: withDefault(
    value.integer(1024, 64 * 1024 ** 3),
    64 * 1024 * 1024,
    "in-process cache: most bytes",
  ),
  CACHE_DEFAULT_TTLS: withDefault(defaultTtls, {}, "seconds for types without a `@cacheControl` hint"),
  CACHE_MAX_TTL: withDefault(value.integer(1, 86_400), 600, "longest time cached data is kept"),
  CACHE_REDIS_TIMEOUT_MS: withDefault(
    value.integer(1, 60_000),
    200,
    "wait for Redis before a lookup counts as a miss",
  ),
  CACHE_DEBUG_HEADER: setting(value.flag(), "adds `x-cache` to answers", "on when `NODE_ENV=development`"),
  INVALIDATION_CHANNEL: withDefault(
    value.text(),
    INVALIDATION_CHANNEL,
    "stream of the registries' invalidation events",
  ),
  QUERY_PLAN_CACHE_BYTES: withDefault(
    value.integer(1024 * 1024, 16 * 1024 ** 3),
    30 * 1024 * 1024,
    "query plans kept in memory",
  ),
  APQ_TTL: withDefault(value.integer(1, 30 * 86_400), 86_400, "seconds an automatic persisted query is kept"),
});

/** Reads the cache settings, adding every problem to `problems` (config.ts reports them all at once). */
export function loadCacheConfig(env: Env, problems: string[]): CacheConfig {
  const read = CACHE_SETTINGS.read(env, problems);
  return {
    enabled: read.CACHE_ENABLED,
    clusterNodes: read.REDIS_CLUSTER_NODES,
    keyPrefix: read.CACHE_KEY_PREFIX,
    maxEntries: read.CACHE_MAX_ENTRIES,
    maxBytes: read.CACHE_MAX_BYTES,
    defaultTtls: read.CACHE_DEFAULT_TTLS,
    maxTtlSeconds: read.CACHE_MAX_TTL,
    redisTimeoutMs: read.CACHE_REDIS_TIMEOUT_MS,
    debugHeader: read.CACHE_DEBUG_HEADER ?? env.NODE_ENV === "development",
    invalidationChannel: read.INVALIDATION_CHANNEL,
    queryPlanCacheBytes: read.QUERY_PLAN_CACHE_BYTES,
    apqTtlSeconds: read.APQ_TTL,
  };
}
