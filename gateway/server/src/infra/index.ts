import type { Logger } from "@onecert/subgraph-kit";
import { MemoryRateCounter, type RateCounter } from "./rate-counter";
import { connectRedis } from "@onecert/subgraph-kit";
import { RedisRateCounter } from "./redis-rate-counter";

export {
  MemoryRateCounter,
  type MemoryRateCounterOptions,
  type RateCounter,
  type RateHit,
} from "./rate-counter";
export { REDIS_KEY_PREFIX, connectRedis, redisKey } from "@onecert/subgraph-kit";
export { RedisRateCounter, type RedisRateCounterOptions } from "./redis-rate-counter";

export interface RateCounterConfig {
  /** Shared counts across replicas; unset: counts per process. */
  redisUrl?: string;
  logger: Logger;
}

/** A Redis-backed counter when `redisUrl` is set (connecting at once, in the background), else in memory. */
export function createRateCounter({ redisUrl, logger }: RateCounterConfig): RateCounter {
  if (!redisUrl) return new MemoryRateCounter();
  const redis = connectRedis(redisUrl, logger);
  // Connect now so that the first requests do not pay for the handshake; failures are logged by connectRedis.
  redis.connect().catch(() => undefined);
  return new RedisRateCounter({ redis, logger });
}
