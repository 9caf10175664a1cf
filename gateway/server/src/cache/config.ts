import { INVALIDATION_CHANNEL, envReader } from "@onecert/subgraph-kit";

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

type Env = Record<string, string | undefined>;

/** Reads the cache settings, adding every problem to `problems` (config.ts reports them all at once). */
export function loadCacheConfig(env: Env, problems: string[]): CacheConfig {
  const { int, bool } = envReader(env, problems);
  const keyPrefix = env.CACHE_KEY_PREFIX || "onecert:cache:";
  if (!/^onecert:[\w.:-]*$/.test(keyPrefix)) {
    problems.push(`CACHE_KEY_PREFIX must start with "onecert:" and hold only letters, digits and _.:-`);
  }
  const clusterNodes = (env.REDIS_CLUSTER_NODES ?? "")
    .split(",")
    .map((node) => node.trim())
    .filter(Boolean);
  for (const node of clusterNodes) {
    if (!/^[\w.-]+:\d{1,5}$/.test(node)) problems.push(`REDIS_CLUSTER_NODES: "${node}" is not host:port`);
  }
  return {
    enabled: bool("CACHE_ENABLED", true),
    clusterNodes,
    keyPrefix,
    maxEntries: int("CACHE_MAX_ENTRIES", 10_000, 1, 100_000_000),
    maxBytes: int("CACHE_MAX_BYTES", 64 * 1024 * 1024, 1024, 64 * 1024 ** 3),
    defaultTtls: parseDefaultTtls(env.CACHE_DEFAULT_TTLS, problems),
    maxTtlSeconds: int("CACHE_MAX_TTL", 600, 1, 86_400),
    redisTimeoutMs: int("CACHE_REDIS_TIMEOUT_MS", 200, 1, 60_000),
    debugHeader: bool("CACHE_DEBUG_HEADER", env.NODE_ENV === "development"),
    invalidationChannel: env.INVALIDATION_CHANNEL || INVALIDATION_CHANNEL,
    queryPlanCacheBytes: int("QUERY_PLAN_CACHE_BYTES", 30 * 1024 * 1024, 1024 * 1024, 16 * 1024 ** 3),
    apqTtlSeconds: int("APQ_TTL", 86_400, 1, 30 * 86_400),
  };
}

/** "Household=300, Mortgage=60" → {Household: 300, Mortgage: 60}. */
export function parseDefaultTtls(raw: string | undefined, problems: string[]): Record<string, number> {
  const ttls: Record<string, number> = {};
  for (const item of (raw ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z_]\w*)\s*=\s*(\d{1,6})$/.exec(item);
    if (match) ttls[match[1]] = Number(match[2]);
    else problems.push(`CACHE_DEFAULT_TTLS: "${item}" is not Type=seconds`);
  }
  return ttls;
}
