import type { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, expect, it } from "vitest";
import { connectRedis, redisKey } from "../redis";
import { describeWith, TEST_REDIS_URL } from "../testing/services";
import { redisReplayGuard, type ReplayGuard } from "./replay";

describeWith(["redis"], "the Redis replay guard", () => {
  const logger = pino({ level: "silent" });
  // The audience is part of every key: one of its own per run keeps runs and files apart.
  const audience = `test-${randomBytes(6).toString("hex")}`;
  const connections: Redis[] = [];
  const guards: ReplayGuard[] = [];

  const connect = (url = TEST_REDIS_URL) => {
    const redis = connectRedis(url, logger, { retryStrategy: () => null });
    connections.push(redis);
    return redis;
  };
  const replica = (options: Partial<Parameters<typeof redisReplayGuard>[0]> = {}) => {
    const guard = redisReplayGuard({ redis: connect(), audience, ...options });
    guards.push(guard);
    return guard;
  };
  const soon = (ms = 30_000) => new Date(Date.now() + ms);
  const id = () => randomBytes(9).toString("base64url");

  afterAll(async () => {
    await Promise.all(guards.map((guard) => guard.close()));
    const admin = connect();
    let cursor = "0";
    do {
      const [next, keys] = await admin.scan(cursor, "MATCH", redisKey("hop", audience, "*"), "COUNT", 1000);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    for (const redis of connections) redis.disconnect();
  });

  it("refuses on one replica an id another replica has seen", async () => {
    const [a, b] = [replica(), replica()];
    const seen = id();
    expect(await a.first(seen, soon())).toBe(true);
    expect(await b.first(seen, soon())).toBe(false);
    expect(await a.first(seen, soon())).toBe(false);
    const other = id();
    expect(await b.first(other, soon())).toBe(true);
    expect(await a.first(other, soon())).toBe(false);
  });

  it("remembers an id only as long as its assertion lives", async () => {
    const guard = replica();
    const seen = id();
    expect(await guard.first(seen, soon(20_000))).toBe(true);
    const ttl = await connect().pttl(redisKey("hop", audience, seen));
    expect(ttl).toBeGreaterThan(15_000);
    expect(ttl).toBeLessThanOrEqual(20_000);
    const brief = id();
    expect(await guard.first(brief, soon(150))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await replica().first(brief, soon())).toBe(true);
  });

  it("keeps the ids of each subgraph apart", async () => {
    const seen = id();
    expect(await replica().first(seen, soon())).toBe(true);
    expect(await replica({ audience: `${audience}-other` }).first(seen, soon())).toBe(true);
    await connect().del(redisKey("hop", `${audience}-other`, seen));
  });

  it("falls back to this replica's memory when Redis does not answer, and says so", async () => {
    const degraded: unknown[] = [];
    // Nothing listens on port 1: every command fails, as in an outage.
    const guard = redisReplayGuard({
      redis: connect("redis://127.0.0.1:1"),
      audience,
      timeoutMs: 200,
      onDegraded: (error) => degraded.push(error),
    });
    guards.push(guard);
    const seen = id();
    const started = Date.now();
    expect(await guard.first(seen, soon())).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(degraded).toHaveLength(1);
    expect(degraded[0]).toBeInstanceOf(Error);
    // A replay reaching the same replica is still refused, from memory.
    expect(await guard.first(seen, soon())).toBe(false);
    expect(await guard.first(id(), soon())).toBe(true);
    expect(degraded).toHaveLength(3);
  });
});
