import type { KeyValueCache } from "@apollo/utils.keyvaluecache";
import { createInvalidationBus, type InvalidationBus, type Logger } from "@onecert/subgraph-kit";
import { Cluster } from "ioredis";
import { connectRedis } from "../infra";
import type { CacheConfig } from "./config";
import { EntityCache } from "./entity-cache";
import { buildHintIndex, type HintIndex } from "./hints";
import { InvalidationLog, Invalidator } from "./invalidation";
import { apqKey } from "./keys";
import { MemoryCache } from "./memory";
import { RedisCache } from "./redis-cache";
import type { Cache } from "./types";

export { loadCacheConfig, type CacheConfig } from "./config";
export { EntityCache, type EntityCacheOptions, type FetchCaller, type Send } from "./entity-cache";
export { buildHintIndex, restrict, ttlOf, type CachePolicy, type HintIndex } from "./hints";
export { dedupingFetcher, inFlightKey } from "./inflight";
export { InvalidationLog, Invalidator, tagsOfChange, type Invalidation } from "./invalidation";
export * from "./keys";
export { MemoryCache, type MemoryCacheOptions } from "./memory";
export { RedisCache, type RedisCacheOptions } from "./redis-cache";
export { cacheStateOf, cacheStatus, type RequestCacheState } from "./request-state";
export { CounterBook, type Cache, type CacheCounters, type CacheSetOptions } from "./types";
export { selectionPolicy } from "./walk";

/** The gateway's caches and what keeps them fresh, opened once at start (services.ts). */
export interface GatewayCache {
  config: CacheConfig;
  store: Cache;
  entities: EntityCache;
  invalidator: Invalidator;
  /** Where the registries announce changes. */
  bus: InvalidationBus;
  /** The hints of the current supergraph; undefined until one is loaded. */
  index(): HintIndex | undefined;
  setSupergraph(supergraphSdl: string): void;
  /** Apollo's persisted-query store on top of the same cache. */
  apq: KeyValueCache<string>;
  close(): Promise<void>;
}

export interface OpenCacheOptions {
  /** Env REDIS_URL: the shared cache and the invalidation stream. Unset: in process. */
  redisUrl?: string;
  logger: Logger;
  /** An invalidation bus to use instead of opening one (the caller closes it). */
  bus?: InvalidationBus;
}

/** The backend the configuration asks for: Redis Cluster, Redis, else the in-process LRU. */
export function openCacheStore(config: CacheConfig, redisUrl: string | undefined, logger: Logger): Cache {
  const common = {
    logger,
    prefix: config.keyPrefix,
    timeoutMs: config.redisTimeoutMs,
    maxTtlSeconds: config.maxTtlSeconds,
  };
  if (config.clusterNodes.length > 0) {
    const nodes = config.clusterNodes.map((node) => {
      const [host, port] = node.split(":");
      return { host: host, port: Number(port) };
    });
    const cluster = new Cluster(nodes, {
      enableAutoPipelining: true,
      redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 2_000, replyMapping: "legacy" },
    });
    cluster.on("error", (error: Error) => logger.debug({ err: error }, "redis cluster error"));
    return new RedisCache({ redis: cluster, ...common });
  }
  if (redisUrl) {
    const redis = connectRedis(redisUrl, logger.child({ component: "cache" }));
    redis.connect().catch(() => undefined);
    return new RedisCache({ redis, ...common });
  }
  return new MemoryCache({
    maxEntries: config.maxEntries,
    maxBytes: config.maxBytes,
    maxTtlSeconds: config.maxTtlSeconds,
  });
}

/** Opens the store, the entity cache, the invalidator and the invalidation bus. */
export function openGatewayCache(config: CacheConfig, options: OpenCacheOptions): GatewayCache {
  const store = openCacheStore(config, options.redisUrl, options.logger);
  const log = new InvalidationLog();
  let index: HintIndex | undefined;
  const bus =
    options.bus ??
    createInvalidationBus({
      redisUrl: options.redisUrl,
      channel: config.invalidationChannel,
      logger: options.logger,
    });
  return {
    config,
    store,
    entities: new EntityCache({ cache: store, index: () => index, log }),
    invalidator: new Invalidator(store, log, options.logger),
    bus,
    index: () => index,
    setSupergraph(sdl) {
      index = buildHintIndex(sdl, config.defaultTtls);
    },
    apq: {
      get: async (key) => (await store.get([apqKey(key)]))[0],
      set: (key, value, setOptions) =>
        store.set(apqKey(key), value, { ttlSeconds: setOptions?.ttl ?? config.apqTtlSeconds }),
      delete: async (key) => (await store.delete([apqKey(key)])) > 0,
    },
    async close() {
      if (!options.bus) await bus.close();
      await store.close();
    },
  };
}
