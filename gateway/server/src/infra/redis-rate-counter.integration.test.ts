import { startTcpRelay, describeWith, TEST_REDIS_URL } from "@onecert/subgraph-kit/testing";
import { type Logger } from "@onecert/subgraph-kit";
import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { RedisRateCounter, connectRedis } from ".";

describeWith(["redis"], "the Redis rate counter", () => {
  const REDIS_URL = TEST_REDIS_URL;
  const prefix = `onecert:rl:test-${randomBytes(6).toString("hex")}:`;
  const counters: RedisRateCounter[] = [];

  /** A logger whose lines the test can read. */
  function capturingLogger(): { logger: Logger; lines: { level: number; msg: string }[] } {
    const lines: { level: number; msg: string }[] = [];
    const logger = pino(
      { level: "debug" },
      { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) },
    );
    return { logger, lines };
  }

  const connections = new Map<RedisRateCounter, Redis>();
  function counter(
    url = REDIS_URL,
    logger: Logger = capturingLogger().logger,
    fast = false,
  ): RedisRateCounter {
    const redis = connectRedis(url, logger, fast ? { retryStrategy: () => 50 } : {});
    const created = new RedisRateCounter({ redis, logger, prefix, probeIntervalMs: fast ? 50 : undefined });
    counters.push(created);
    connections.set(created, redis);
    return created;
  }

  /** Commands a counter has sent its Redis since `sent()` was made. */
  function commandsSent(of: RedisRateCounter): () => number {
    const redis = connections.get(of)!;
    let count = 0;
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = (...args: Parameters<Redis["sendCommand"]>) => ((count += 1), send(...args));
    return () => count;
  }

  afterAll(async () => {
    await Promise.all(counters.map((created) => created.close()));
    const redis = new Redis(REDIS_URL);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    await redis.quit();
  });

  describe("RedisRateCounter against Redis", () => {
    it("shares one count between replicas", async () => {
      const [first, second] = [counter(), counter()];
      const counts: number[] = [];
      for (let index = 0; index < 6; index += 1) {
        const hit = await (index % 2 === 0 ? first : second).hit("shared", 60_000);
        counts.push(hit.count);
        expect(hit.resetInMs).toBeGreaterThan(55_000);
        expect(hit.resetInMs).toBeLessThanOrEqual(60_000);
      }
      expect(counts).toEqual([1, 2, 3, 4, 5, 6]);
      expect(first.degraded || second.degraded).toBe(false);
      expect((await first.hit("other key", 60_000)).count).toBe(1);
    });

    it("starts a new window when the old one expires", async () => {
      // Redis keeps the time: wait out the window it reports, however slow this machine is.
      const replica = counter();
      expect((await replica.hit("short", 2_000)).count).toBe(1);
      const second = await replica.hit("short", 2_000);
      expect(second.count).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, second.resetInMs + 100));
      const hit = await replica.hit("short", 2_000);
      expect(hit.count).toBe(1);
      expect(hit.resetInMs).toBeGreaterThan(1_000);
    });

    it("fails open within the bound when Redis is unreachable, warning once", async () => {
      const { logger, lines } = capturingLogger();
      const unreachable = counter("redis://127.0.0.1:1", logger);
      // The first hit waits for Redis at most the counter's bound (settledWithin), then counts here.
      const first = await unreachable.hit("down", 60_000);
      expect(first).toEqual({ count: 1, resetInMs: 60_000 });
      expect(unreachable.degraded).toBe(true);
      // While Redis is down, a hit does not wait for it at all: nothing is sent.
      const sent = commandsSent(unreachable);
      expect((await unreachable.hit("down", 60_000)).count).toBe(2);
      expect(sent()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await unreachable.hit("down", 60_000);
      const warnings = lines.filter((line) => line.level === 40).map((line) => line.msg);
      expect(warnings.filter((msg) => msg.includes("rate limits are counted per process"))).toHaveLength(1);
    });

    it("goes back to Redis when it answers again", async () => {
      const proxy = await startTcpRelay(new URL(REDIS_URL));
      const { logger, lines } = capturingLogger();
      const replica = counter(`redis://127.0.0.1:${proxy.port}`, logger, true);
      const direct = counter();
      expect((await replica.hit("outage", 60_000)).count).toBe(1);

      await proxy.stop();
      expect((await replica.hit("outage", 60_000)).count).toBe(1); // counted in memory
      expect(replica.degraded).toBe(true);
      expect((await direct.hit("outage", 60_000)).count).toBe(2);

      await proxy.start();
      let hit = await replica.hit("outage", 60_000);
      for (const until = Date.now() + 20_000; replica.degraded && Date.now() < until;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        hit = await replica.hit("outage", 60_000);
      }
      expect(replica.degraded).toBe(false);
      expect(hit.count).toBeGreaterThanOrEqual(3);
      expect((await direct.hit("outage", 60_000)).count).toBe(hit.count + 1);
      expect(lines.some((line) => line.msg.includes("redis answers again"))).toBe(true);
      await proxy.stop();
    });
  });
});
