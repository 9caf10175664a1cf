import { createLogger } from "@onecert/subgraph-kit";
import { startTcpRelay, describeWith, TEST_REDIS_URL } from "@onecert/subgraph-kit/testing";
import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { connectRedis } from "../infra";
import { RedisCache } from "./redis-cache";

describeWith(["redis"], "the Redis cache", () => {
  const REDIS_URL = TEST_REDIS_URL;
  const prefix = `onecert:test-${randomBytes(6).toString("hex")}:`;
  const logger = createLogger("test", "silent");
  const caches: RedisCache[] = [];
  const admin = new Redis(REDIS_URL);

  function open(
    url = REDIS_URL,
    extra: { probeIntervalMs?: number; generationPollMs?: number } = {},
  ): RedisCache {
    const redis = connectRedis(url, logger, { retryStrategy: () => 50 });
    redis.connect().catch(() => undefined);
    const cache = new RedisCache({ redis, logger, prefix, timeoutMs: 200, ...extra });
    caches.push(cache);
    return cache;
  }

  async function until(probe: () => Promise<boolean> | boolean, what: string): Promise<void> {
    const end = Date.now() + 10_000;
    while (!(await probe())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Waits until the cache has read its generation and takes writes. */
  async function ready(cache: RedisCache): Promise<void> {
    await until(async () => {
      await cache.set("e:Probe:x:ready", "1", { ttlSeconds: 5 });
      return (await cache.get(["e:Probe:x:ready"]))[0] === "1";
    }, "the cache to be ready");
  }

  async function keysUnder(pattern: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await admin.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== "0");
    return found;
  }

  afterAll(async () => {
    await Promise.all(caches.map((cache) => cache.close()));
    const keys = await keysUnder(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  describe("RedisCache against Redis", () => {
    it("stores with a TTL under its prefix and counts per label", async () => {
      const cache = open();
      await ready(cache);
      await cache.set("e:Person:population:abc", "value", { ttlSeconds: 120, tags: ["Person:1"] });
      expect(await cache.get(["e:Person:population:abc", "e:Person:population:nope"])).toEqual([
        "value",
        undefined,
      ]);
      const [entry] = await keysUnder(`${prefix}g*:e:Person:population:abc`);
      expect(entry).toBeDefined();
      const ttl = await admin.pttl(entry);
      expect(ttl).toBeGreaterThan(110_000);
      expect(ttl).toBeLessThanOrEqual(120_000);
      expect(cache.counters().get("Person")).toMatchObject({ hits: 1, misses: 1, sets: 1 });
      expect(cache.degraded).toBe(false);
    });

    it("keeps tags as expiring sets and deletes by tag without KEYS", async () => {
      const cache = open();
      await ready(cache);
      await cache.set("e:Person:p:1", "one", { ttlSeconds: 60, tags: ["Person:A", "Person:*"] });
      await cache.set("e:Person:p:2", "two", { ttlSeconds: 60, tags: ["Person:B", "Person:*"] });
      await cache.set("r:response:3", "three", { ttlSeconds: 60, tags: ["Person:A"] });
      const [set] = await keysUnder(`${prefix}t:*:Person:A`);
      expect(await admin.scard(set)).toBe(2);
      expect(await admin.pttl(set)).toBeGreaterThan(0);
      expect(await cache.deleteByTag(["Person:A"])).toBe(2);
      expect(await cache.get(["e:Person:p:1", "e:Person:p:2", "r:response:3"])).toEqual([
        undefined,
        "two",
        undefined,
      ]);
      expect(await admin.scard(set)).toBe(0);
      expect(await cache.delete(["e:Person:p:2"])).toBe(1);
    });

    it("clears by moving every replica to a new generation", async () => {
      const first = open(REDIS_URL, { generationPollMs: 50 });
      const second = open(REDIS_URL, { generationPollMs: 50 });
      await Promise.all([ready(first), ready(second)]);
      await first.set("e:A:x:shared", "old", { ttlSeconds: 60 });
      await until(
        async () => (await second.get(["e:A:x:shared"]))[0] === "old",
        "the other replica to see the entry",
      );
      await first.clear();
      expect(await first.get(["e:A:x:shared"])).toEqual([undefined]);
      await until(
        async () => (await second.get(["e:A:x:shared"]))[0] === undefined,
        "the other replica to move on",
      );
    });

    it("answers misses at once while Redis is unreachable, and drops writes", async () => {
      const cache = open("redis://127.0.0.1:1");
      const started = performance.now();
      expect(await cache.get(["e:A:x:1"])).toEqual([undefined]);
      await cache.set("e:A:x:1", "v", { ttlSeconds: 60 });
      expect(await cache.deleteByTag(["A:1"])).toBe(0);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(cache.kind).toBe("redis");
    });

    it("goes back to Redis when it answers again, dropping what it may have missed", async () => {
      const proxy = await startTcpRelay(new URL(REDIS_URL));
      const cache = open(`redis://127.0.0.1:${proxy.port}`, { probeIntervalMs: 50, generationPollMs: 50 });
      await ready(cache);
      await cache.set("e:A:x:outage", "before", { ttlSeconds: 60 });
      await proxy.stop();
      await until(async () => {
        await cache.get(["e:A:x:outage"]);
        return cache.degraded;
      }, "the cache to notice the outage");
      expect(await cache.get(["e:A:x:outage"])).toEqual([undefined]);
      expect(cache.failures).toBeGreaterThan(0);
      await proxy.start();
      await until(async () => {
        await cache.get(["e:A:x:outage"]);
        return !cache.degraded;
      }, "the cache to be used again");
      await ready(cache);
      expect(await cache.get(["e:A:x:outage"])).toEqual([undefined]);
      await proxy.stop();
    });
  });
});
