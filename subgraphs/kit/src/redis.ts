import type { Logger } from "./logger";
import { Redis, type RedisOptions } from "ioredis";

/** First segment of every key OneCert writes, so that one Redis can be shared with others. */
export const REDIS_KEY_PREFIX = "onecert";

/** A namespaced key: redisKey("rl", "client", id) → "onecert:rl:client:<id>". */
export const redisKey = (...parts: (string | number)[]): string => [REDIS_KEY_PREFIX, ...parts].join(":");

/**
 * A Redis connection for the gateway's shared state (rate limits, caches). It connects on the
 * first command, gives up on a command after one reconnection attempt (maxRetriesPerRequest 1)
 * instead of queueing it for the whole outage, and logs connection errors instead of letting
 * the unhandled "error" event crash the process: callers are built to degrade without Redis.
 * Replies keep the RESP2 shapes (replyMapping "legacy") whatever the protocol. `overrides`
 * mainly serve tests, e.g. a faster retryStrategy.
 */
export function connectRedis(url: string, logger: Logger, overrides: RedisOptions = {}): Redis {
  const log = logger.child({ redis: redactedUrl(url) });
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    replyMapping: "legacy",
    ...overrides,
  });
  // ioredis emits "error" on every failed reconnection attempt; one warning per outage is enough.
  let down = false;
  redis.on("error", (error: Error) => {
    if (down) return log.debug({ err: error }, "redis still unavailable");
    down = true;
    log.warn({ err: error }, "redis unavailable");
  });
  redis.on("ready", () => {
    if (down) log.info("redis available again");
    down = false;
  });
  return redis;
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable url)";
  }
}
