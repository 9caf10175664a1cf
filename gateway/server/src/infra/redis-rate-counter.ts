import type { Logger } from "@onecert/subgraph-kit";
import type { Redis } from "ioredis";
import { MemoryRateCounter, type RateCounter, type RateHit } from "./rate-counter";
import { settledWithin, redisKey } from "@onecert/subgraph-kit";

// Atomic, one round trip. The first hit of a window sets its expiry; a key found without one
// (written by something else, or restored without TTLs) gets it again instead of never resetting.
const HIT_SCRIPT = `
local count = redis.call("INCR", KEYS[1])
if count == 1 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;

const COMMAND = "onecertRateHit";
type WithHitCommand = Record<typeof COMMAND, (key: string, windowMs: number) => Promise<unknown>>;

export interface RedisRateCounterOptions {
  /** The connection; the counter closes it on close(). */
  redis: Redis;
  logger: Logger;
  /** Prefix of the counter keys. Default "onecert:rl:". */
  prefix?: string;
  /** Longest wait for Redis before a hit is counted in memory instead. Default 100 ms. */
  timeoutMs?: number;
  /** While degraded, how often Redis is tried again once it is connected. Default 1000 ms. */
  probeIntervalMs?: number;
}

/**
 * Counts in Redis, so that all replicas share one limit per key. When Redis is unreachable or
 * slower than `timeoutMs` it fails OPEN: hits are counted per process (each replica then allows
 * the full limit), one warning is logged per outage, `degraded` is true, and Redis is used
 * again as soon as it answers. The registries serve citizens at public service windows: an
 * outage of the rate-limit store must not become an outage of the service, and per-process
 * counts still stop a runaway client.
 */
export class RedisRateCounter implements RateCounter {
  private readonly redis: Redis;
  private readonly logger: Logger;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly probeIntervalMs: number;
  private readonly local = new MemoryRateCounter();
  private outage = false;
  private nextProbe = 0;

  constructor(options: RedisRateCounterOptions) {
    this.redis = options.redis;
    this.logger = options.logger;
    this.prefix = options.prefix ?? redisKey("rl", "");
    this.timeoutMs = options.timeoutMs ?? 100;
    this.probeIntervalMs = options.probeIntervalMs ?? 1_000;
    if (!(COMMAND in this.redis)) this.redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: HIT_SCRIPT });
  }

  get degraded(): boolean {
    return this.outage;
  }

  async hit(key: string, windowMs: number): Promise<RateHit> {
    // During an outage, requests do not each wait out the timeout: only a connected client is
    // tried, and at most once per probe interval.
    if (this.outage && (this.redis.status !== "ready" || Date.now() < this.nextProbe))
      return this.local.hit(key, windowMs);
    try {
      const command = (this.redis as unknown as WithHitCommand)[COMMAND](this.prefix + key, windowMs);
      const hit = parseReply(await settledWithin(command, this.timeoutMs));
      if (this.outage) this.logger.info("redis answers again: rate limits are shared across replicas");
      this.outage = false;
      return hit;
    } catch (error) {
      this.nextProbe = Date.now() + this.probeIntervalMs;
      if (!this.outage) {
        this.logger.warn(
          { err: error },
          "redis unavailable or slow: rate limits are counted per process until it answers",
        );
      }
      this.outage = true;
      return this.local.hit(key, windowMs);
    }
  }

  async close(): Promise<void> {
    await this.local.close();
    if (this.redis.status !== "ready") return this.redis.disconnect();
    await settledWithin(this.redis.quit(), 1_000).catch(() => this.redis.disconnect());
  }
}

function parseReply(reply: unknown): RateHit {
  const [count, ttl] = Array.isArray(reply) ? reply.map(Number) : [];
  if (!Number.isFinite(count) || !Number.isFinite(ttl))
    throw new Error(`unexpected rate counter reply: ${JSON.stringify(reply)}`);
  return { count: count, resetInMs: Math.max(0, ttl) };
}
