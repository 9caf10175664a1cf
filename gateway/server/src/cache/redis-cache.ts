import type { Logger } from "@onecert/subgraph-kit";
import { Cluster, type Redis } from "ioredis";
import { OutageGuard } from "./guard";
import { labelOf } from "./keys";
import { defineTaggedSet, taggedSet } from "./redis-script";
import { CounterBook, type Cache, type CacheSetOptions } from "./types";

export interface RedisCacheOptions {
  /** A connection (lazyConnect is fine); the cache closes it on close(). */
  redis: Redis | Cluster;
  logger: Logger;
  /** Prefix of every key; keep "onecert:" first. Default "onecert:cache:". */
  prefix?: string;
  /** Longest wait for a read or write before it counts as a miss. Default 200 ms. */
  timeoutMs?: number;
  /** While degraded, how often Redis is tried again. Default 1000 ms. */
  probeIntervalMs?: number;
  /** Longest TTL of a tagged entry; tag sets rotate on this period. Default 600 s. */
  maxTtlSeconds?: number;
  /** How often the shared generation is read again. Default 1000 ms. */
  generationPollMs?: number;
}

/**
 * The shared cache in Redis or Redis Cluster. Entries live under `<prefix>g<generation>:<key>`;
 * tags are sets of entry keys (`<prefix>t:<period>:<tag>`), one per TTL-long period, so a set
 * never outlives its entries and an invalidation reads two sets, never KEYS. Redis down or slow:
 * lookups are misses and writes are dropped (see OutageGuard). When the connection comes back
 * after a drop, or an invalidation could not be applied, the generation is incremented: entries
 * that may have missed an invalidation become unreachable and expire on their own.
 */
export class RedisCache implements Cache {
  readonly kind: string;
  private readonly redis: Redis | Cluster;
  private readonly prefix: string;
  private readonly guard: OutageGuard;
  private readonly book = new CounterBook();
  private readonly periodMs: number;
  private readonly timer: NodeJS.Timeout;
  /** Unknown until read from Redis; no entry is read or written before. */
  private generation: string | null = null;
  private connectedBefore = false;
  private dropped = false;
  private bumpNeeded = false;

  constructor(private readonly options: RedisCacheOptions) {
    this.redis = options.redis;
    this.kind = options.redis instanceof Cluster ? "redis-cluster" : "redis";
    this.prefix = options.prefix ?? "onecert:cache:";
    this.periodMs = (options.maxTtlSeconds ?? 600) * 1000;
    this.guard = new OutageGuard({
      logger: options.logger,
      what: "cache",
      connected: () => this.redis.status === "ready",
      timeoutMs: options.timeoutMs,
      probeIntervalMs: options.probeIntervalMs,
    });
    if (!(this.redis instanceof Cluster)) defineTaggedSet(this.redis);
    this.redis.on("ready", () => {
      // A second "ready" is a reconnection: invalidations may have been missed meanwhile.
      if (this.connectedBefore) this.dropped = true;
      this.connectedBefore = true;
      void this.syncGeneration();
    });
    this.timer = setInterval(() => void this.syncGeneration(), options.generationPollMs ?? 1000);
    this.timer.unref();
    if (this.redis.status === "ready") {
      this.connectedBefore = true;
      void this.syncGeneration();
    }
  }

  get degraded(): boolean {
    return this.guard.degraded;
  }

  /** Failed or timed-out Redis calls since start. */
  get failures(): number {
    return this.guard.failures;
  }

  async get(keys: readonly string[]): Promise<(string | undefined)[]> {
    const none = keys.map(() => null);
    const physical = this.generation === null ? [] : keys.map((key) => this.entryKey(key));
    const values = await this.guard.run(
      async () =>
        physical.length === 0
          ? none
          : this.redis instanceof Cluster
            ? Promise.all(physical.map((key) => this.redis.get(key)))
            : this.redis.mget(physical),
      none,
    );
    return values.map((value, index) => {
      this.book.add(labelOf(keys[index]), value === null ? "misses" : "hits");
      return value ?? undefined;
    });
  }

  async set(key: string, value: string, options: CacheSetOptions): Promise<void> {
    const period = Math.floor(Date.now() / this.periodMs);
    const tags = [...new Set(options.tags ?? [])].map((tag) => this.tagKey(period, tag));
    // A tagged entry lives at most one period, so that its tag sets (kept two periods) outlive it.
    const ttlMs = Math.floor(options.ttlSeconds) * 1000;
    const px = tags.length > 0 ? Math.min(ttlMs, this.periodMs) : ttlMs;
    if (px < 1000 || this.generation === null || !this.guard.open) return;
    const entry = this.entryKey(key);
    const expireAt = (period + 2) * this.periodMs;
    const write = async () => {
      if (this.redis instanceof Cluster) {
        // Tags first: an entry must never exist without the tags that invalidate it.
        await Promise.all(
          tags.map((tag) => this.redis.sadd(tag, entry).then(() => this.redis.pexpireat(tag, expireAt))),
        );
        await this.redis.set(entry, value, "PX", px);
        return;
      }
      // One command (a script, atomic) instead of three per tag: the cold path stays cheap.
      await taggedSet(this.redis, entry, tags, value, px, expireAt);
    };
    await this.guard.run(write, undefined);
    this.book.add(labelOf(key), "sets");
  }

  async delete(keys: readonly string[]): Promise<number> {
    if (this.generation === null) return 0;
    return this.remove(keys.map((key) => this.entryKey(key)));
  }

  async deleteByTag(tags: readonly string[]): Promise<number> {
    const period = Math.floor(Date.now() / this.periodMs);
    const sets = tags.flatMap((tag) => [this.tagKey(period, tag), this.tagKey(period - 1, tag)]);
    try {
      const members = await Promise.all(sets.map((set) => this.redis.smembers(set)));
      const deleted = await this.remove([...new Set(members.flat())]);
      // SREM, not DEL: members added meanwhile keep their tag.
      await Promise.all(
        sets.map((set, i) => (members[i].length ? this.redis.srem(set, ...members[i]) : Promise.resolve(0))),
      );
      return deleted;
    } catch (error) {
      this.guard.fail(error);
      this.bumpNeeded = true;
      return 0;
    }
  }

  async clear(): Promise<void> {
    this.generation = String(await this.redis.incr(this.prefix + "generation"));
  }

  counters() {
    return this.book.snapshot();
  }

  countInvalidation(label: string, count = 1): void {
    this.book.add(label, "invalidations", count);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.redis.status !== "ready") return this.redis.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private entryKey(key: string): string {
    return `${this.prefix}g${this.generation}:${key}`;
  }

  private tagKey(period: number, tag: string): string {
    return `${this.prefix}t:${period}:${tag}`;
  }

  private async remove(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    try {
      if (!(this.redis instanceof Cluster)) return await this.redis.del(...keys);
      const counts = await Promise.all(keys.map((key) => this.redis.del(key)));
      return counts.reduce((sum, count) => sum + count, 0);
    } catch (error) {
      this.guard.fail(error);
      this.bumpNeeded = true;
      return 0;
    }
  }

  /** Adopts the shared generation, first incrementing it when this replica may have missed invalidations. */
  private async syncGeneration(): Promise<void> {
    if (this.redis.status !== "ready") return;
    try {
      if (this.dropped || this.bumpNeeded) {
        this.dropped = this.bumpNeeded = false;
        await this.clear();
        this.options.logger.warn(
          { generation: this.generation },
          "cache: redis was unreachable; older entries are dropped",
        );
        return;
      }
      this.generation = (await this.redis.get(this.prefix + "generation")) ?? "0";
    } catch {
      // The guard reports outages; the generation is read again on the next tick.
    }
  }
}
