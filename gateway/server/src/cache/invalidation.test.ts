import { createLogger, EVERYTHING } from "@onecert/subgraph-kit";
import { describe, expect, it } from "vitest";
import { InvalidationLog, Invalidator, tagsOfChange } from "./invalidation";
import { MemoryCache } from "./memory";

describe("tagsOfChange", () => {
  it("drops the entity, its tags, and unkeyed data of every type involved", () => {
    expect(tagsOfChange({ type: "Person", key: "X", tags: ["Household:H1"] }).sort()).toEqual(
      ["Household:?", "Household:H1", "Person:?", "Person:X"].sort(),
    );
    expect(tagsOfChange({ type: "RealEstate", key: null, tags: [] })).toEqual(["RealEstate:?"]);
  });

  it("reads a relation tag as its entity too", () => {
    expect(tagsOfChange({ type: "RealEstate", key: "U", tags: ["owner:Person:X"] })).toEqual(
      expect.arrayContaining(["owner:Person:X", "Person:X", "Person:?", "RealEstate:U"]),
    );
  });
});

describe("InvalidationLog", () => {
  it("tells a fetch that started before a change of its tags", () => {
    let now = 1_000;
    const log = new InvalidationLog(60_000, () => now);
    log.record(["Person:X"]);
    expect(log.changedSince(["Person:X"], 999)).toBe(true);
    expect(log.changedSince(["Person:X"], 1_000)).toBe(true);
    expect(log.changedSince(["Person:X"], 1_001)).toBe(false);
    expect(log.changedSince(["Person:Y"], 500)).toBe(false);
    now = 2_000;
    log.recordAll();
    expect(log.changedSince(["Person:Y"], 1_500)).toBe(true);
  });

  it("treats a fetch older than it remembers as changed", () => {
    let now = 0;
    const log = new InvalidationLog(1_000, () => now);
    now = 5_000;
    expect(log.changedSince([], 3_000)).toBe(true);
    expect(log.changedSince([], 4_500)).toBe(false);
  });
});

describe("Invalidator", () => {
  const setup = async () => {
    const cache = new MemoryCache();
    const invalidator = new Invalidator(cache, new InvalidationLog(), createLogger("test", "silent"));
    await cache.set("e:Person:p:1", "x", { ttlSeconds: 60, tags: ["Person:X", "Person:*"] });
    await cache.set("e:Person:p:2", "y", { ttlSeconds: 60, tags: ["Person:Y", "Person:*"] });
    await cache.set("f:Household:p:3", "h", {
      ttlSeconds: 60,
      tags: ["Household:?", "Person:?", "Person:*"],
    });
    await cache.set("e:RealEstate:q:4", "u", { ttlSeconds: 60, tags: ["RealEstate:U", "RealEstate:*"] });
    return { cache, invalidator };
  };

  it("drops what an event names, once per event id, counting under its type", async () => {
    const { cache, invalidator } = await setup();
    expect(await invalidator.apply({ type: "Person", key: "X", tags: [] }, "ev1")).toBe(2);
    expect(await invalidator.apply({ type: "RealEstate", key: "U", tags: [] }, "ev1")).toBe(0);
    expect(await cache.get(["e:Person:p:1", "e:Person:p:2", "f:Household:p:3", "e:RealEstate:q:4"])).toEqual([
      undefined,
      "y",
      undefined,
      "u",
    ]);
    expect(cache.counters().get("Person")?.invalidations).toBe(2);
  });

  it("drops a whole type, a tag, or everything", async () => {
    const { cache, invalidator } = await setup();
    expect(await invalidator.invalidateType("Person")).toBe(3);
    expect(await invalidator.invalidateTag("RealEstate:U")).toBe(1);
    await cache.set("e:A:x:1", "1", { ttlSeconds: 60 });
    // A fetch that started before the flush must learn that everything changed, however long
    // the flush took (a fixed margin fails on a loaded machine).
    const fetchStarted = Date.now();
    await invalidator.flush();
    expect(await cache.get(["e:A:x:1"])).toEqual([undefined]);
    expect(invalidator.log.changedSince([], fetchStarted)).toBe(true);
  });

  it("drops everything for an everything-is-stale event (a missed stream, a reseed)", async () => {
    const { cache, invalidator } = await setup();
    const started = Date.now() - 1;
    await invalidator.apply({ type: EVERYTHING, key: null, tags: [] }, "gap-1");
    expect(await cache.get(["e:Person:p:1", "e:RealEstate:q:4"])).toEqual([undefined, undefined]);
    expect(invalidator.log.changedSince(["Anything:1"], started)).toBe(true);
    expect(cache.counters().get(EVERYTHING)?.invalidations).toBe(1);
  });
});
