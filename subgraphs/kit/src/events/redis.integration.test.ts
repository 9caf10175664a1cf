import { Redis } from "ioredis";
import { randomBytes, randomUUID } from "node:crypto";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startRedis } from "../testing/processes";
import { startTcpRelay } from "../testing/tcp-relay";
import { RedisInvalidationBus, type RedisBusOptions } from "./redis";
import { eventually } from "../testing/events";
import { EVERYTHING, type InvalidationEvent } from "./types";
import { describeWith, TEST_REDIS_URL } from "../testing/services";

describeWith(["redis", "redis-server"], "the Redis invalidation bus", () => {
  const REDIS_URL = TEST_REDIS_URL;
  const prefix = `onecert:test-${randomBytes(6).toString("hex")}:`;
  const logger = pino({ level: "silent" });
  const buses: RedisInvalidationBus[] = [];

  function bus(channel: string, extra: Partial<RedisBusOptions> = {}): RedisInvalidationBus {
    const created = new RedisInvalidationBus({ url: REDIS_URL, channel, logger, blockMs: 200, ...extra });
    buses.push(created);
    return created;
  }

  const event = (key: string): InvalidationEvent => ({
    id: randomUUID(),
    source: "population",
    type: "Person",
    key,
    tags: [`Household:${key}`],
    at: new Date().toISOString(),
  });

  afterAll(async () => {
    await Promise.all(buses.map((created) => created.close()));
    const redis = new Redis(REDIS_URL);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    await redis.quit();
  });

  describe("RedisInvalidationBus against Redis", () => {
    it("delivers every event on a channel to every bus on it, and nothing across channels", async () => {
      const channel = `${prefix}shared`;
      const [a, b, elsewhere] = [bus(channel), bus(channel), bus(`${prefix}other`)];
      const seen: Record<string, InvalidationEvent[]> = { a: [], b: [], elsewhere: [] };
      await a.subscribe((e) => seen.a.push(e));
      await b.subscribe((e) => seen.b.push(e));
      await elsewhere.subscribe((e) => seen.elsewhere.push(e));
      const sent = [event("1"), event("2"), event("3")];
      await a.publish(sent[0]);
      await b.publish(sent[1]);
      await a.publish(sent[2]);
      await eventually(() => seen.a.length === 3 && seen.b.length === 3, "both buses to see all three");
      expect(seen.a).toEqual(sent);
      expect(seen.b).toEqual(sent);
      await elsewhere.publish(event("4"));
      await eventually(() => seen.elsewhere.length === 1, "the other channel's own event");
      expect(seen.elsewhere.map((e) => e.key)).toEqual(["4"]);
      expect(seen.a).toHaveLength(3);
    });

    it("delivers what was published while the subscriber was reconnecting", async () => {
      const channel = `${prefix}reconnect`;
      const proxy = await startTcpRelay(new URL(REDIS_URL));
      const subscriber = bus(channel, {
        url: `redis://127.0.0.1:${proxy.port}`,
        redisOptions: { retryStrategy: () => 50 },
      });
      const publisher = bus(channel);
      const seen: string[] = [];
      await subscriber.subscribe((e) => seen.push(e.key!));
      await publisher.publish(event("before"));
      await eventually(() => seen.length === 1, "the first event");
      await proxy.stop();
      await publisher.publish(event("during"));
      await proxy.start();
      await publisher.publish(event("after"));
      await eventually(() => seen.length === 3, "the events of the outage and after it");
      expect(seen).toEqual(["before", "during", "after"]);
      await proxy.stop();
    });

    it("rejects a publish that Redis does not accept", async () => {
      const unreachable = bus(`${prefix}down`, { url: "redis://127.0.0.1:1", publishTimeoutMs: 200 });
      await expect(unreachable.publish(event("lost"))).rejects.toThrow();
    });

    it("skips an entry that is not an event and delivers the next", async () => {
      const channel = `${prefix}malformed`;
      const reader = bus(channel);
      const seen: string[] = [];
      await reader.subscribe((e) => seen.push(e.key!));
      const raw = new Redis(REDIS_URL);
      await raw.xadd(channel, "*", "event", JSON.stringify({ id: 1, type: "Person" }));
      await raw.xadd(channel, "*", "other", "field");
      await raw.quit();
      await bus(channel).publish(event("valid"));
      await eventually(() => seen.length > 0, "the valid event");
      expect(seen).toEqual(["valid"]);
    });

    it("tells its handlers everything is stale when the stream was trimmed past what it read", async () => {
      const channel = `${prefix}trimmed`;
      const proxy = await startTcpRelay(new URL(REDIS_URL));
      const subscriber = bus(channel, {
        url: `redis://127.0.0.1:${proxy.port}`,
        redisOptions: { retryStrategy: () => 50 },
      });
      const publisher = bus(channel, { maxLength: 10 });
      const seen: InvalidationEvent[] = [];
      await subscriber.subscribe((e) => seen.push(e));
      await publisher.publish(event("before"));
      await eventually(() => seen.length === 1, "the first event");
      await proxy.stop();
      for (let n = 0; n < 400; n += 1) await publisher.publish(event(`during-${n}`));
      await proxy.start();
      await eventually(() => seen.some((e) => e.type === EVERYTHING), "the everything-is-stale event");
      expect(seen.find((e) => e.type === EVERYTHING)).toMatchObject({
        source: EVERYTHING,
        key: null,
        tags: [],
      });
      // What the stream still holds is delivered as well.
      await eventually(() => seen.some((e) => e.key === "during-399"), "the newest event");
      await proxy.stop();
    });

    it("tells its handlers everything is stale when Redis restarted", async () => {
      const port = await freePort();
      let server = await startRedis(port);
      try {
        const subscriber = bus(`${prefix}restart`, {
          url: `redis://127.0.0.1:${port}`,
          redisOptions: { retryStrategy: () => 50 },
        });
        const seen: InvalidationEvent[] = [];
        await subscriber.subscribe((e) => seen.push(e));
        await bus(`${prefix}restart`, { url: `redis://127.0.0.1:${port}` }).publish(event("before"));
        await eventually(() => seen.length === 1, "the first event");
        expect(seen.some((e) => e.type === EVERYTHING)).toBe(false);
        await server.stop();
        server = await startRedis(port);
        await eventually(
          () => seen.some((e) => e.type === EVERYTHING),
          "the everything-is-stale event",
          10_000,
        );
      } finally {
        await server.stop();
      }
    });
  });
});
