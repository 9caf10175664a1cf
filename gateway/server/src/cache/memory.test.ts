import { describe, expect, it } from "vitest";
import { MemoryCache } from "./memory";

describe("MemoryCache", () => {
  it("serves an entry until its TTL ends", async () => {
    let now = 0;
    const cache = new MemoryCache({ now: () => now });
    await cache.set("e:Person:x:1", "one", { ttlSeconds: 10 });
    expect(await cache.get(["e:Person:x:1", "e:Person:x:2"])).toEqual(["one", undefined]);
    now = 9_999;
    expect(await cache.get(["e:Person:x:1"])).toEqual(["one"]);
    now = 10_000;
    expect(await cache.get(["e:Person:x:1"])).toEqual([undefined]);
    expect(cache.counters().get("Person")).toEqual({
      hits: 2,
      misses: 2,
      sets: 1,
      evictions: 0,
      invalidations: 0,
    });
  });

  it("stores nothing for a TTL under a second", async () => {
    const cache = new MemoryCache();
    await cache.set("e:A:x:1", "v", { ttlSeconds: 0 });
    expect(cache.size.entries).toBe(0);
  });

  it("evicts the least recently used entry past maxEntries, counting evictions per label", async () => {
    const cache = new MemoryCache({ maxEntries: 2 });
    await cache.set("e:A:x:1", "1", { ttlSeconds: 60 });
    await cache.set("e:B:x:2", "2", { ttlSeconds: 60 });
    await cache.get(["e:A:x:1"]);
    await cache.set("e:C:x:3", "3", { ttlSeconds: 60 });
    expect(await cache.get(["e:A:x:1", "e:B:x:2", "e:C:x:3"])).toEqual(["1", undefined, "3"]);
    expect(cache.counters().get("B")?.evictions).toBe(1);
  });

  it("stays within maxBytes", async () => {
    const cache = new MemoryCache({ maxBytes: 1000 });
    for (let i = 0; i < 20; i += 1) await cache.set(`e:A:x:${i}`, "x".repeat(100), { ttlSeconds: 60 });
    expect(cache.size.bytes).toBeLessThanOrEqual(1000);
    expect(cache.size.entries).toBeGreaterThan(0);
    expect(await cache.get(["e:A:x:19"])).toEqual(["x".repeat(100)]);
  });

  it("deletes by tag and by key, and forgets tags of entries gone", async () => {
    const cache = new MemoryCache();
    await cache.set("e:A:x:1", "1", { ttlSeconds: 60, tags: ["Person:1", "Person:*"] });
    await cache.set("e:A:x:2", "2", { ttlSeconds: 60, tags: ["Person:2", "Person:*"] });
    await cache.set("r:response:3", "3", { ttlSeconds: 60, tags: ["Person:1"] });
    expect(await cache.deleteByTag(["Person:1"])).toBe(2);
    expect(await cache.get(["e:A:x:1", "e:A:x:2", "r:response:3"])).toEqual([undefined, "2", undefined]);
    expect(await cache.delete(["e:A:x:2", "e:A:x:9"])).toBe(1);
    expect(await cache.deleteByTag(["Person:*"])).toBe(0);
  });

  it("keeps a tagged entry no longer than maxTtlSeconds", async () => {
    let now = 0;
    const cache = new MemoryCache({ now: () => now, maxTtlSeconds: 5 });
    await cache.set("e:A:x:1", "1", { ttlSeconds: 60, tags: ["A:1"] });
    await cache.set("q:apq:1", "query", { ttlSeconds: 60 });
    now = 6_000;
    expect(await cache.get(["e:A:x:1", "q:apq:1"])).toEqual([undefined, "query"]);
  });

  it("clears everything", async () => {
    const cache = new MemoryCache();
    await cache.set("e:A:x:1", "1", { ttlSeconds: 60, tags: ["A:1"] });
    await cache.clear();
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
    expect(await cache.deleteByTag(["A:1"])).toBe(0);
  });
});
