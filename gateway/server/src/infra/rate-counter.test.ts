import { createLogger } from "@onecert/subgraph-kit";
import { describe, expect, it } from "vitest";
import { MemoryRateCounter, createRateCounter, redisKey } from ".";

describe("MemoryRateCounter", () => {
  it("counts hits per key within a fixed window", async () => {
    let now = 1_000;
    const counter = new MemoryRateCounter({ now: () => now });
    expect(await counter.hit("a", 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
    now += 20_000;
    expect(await counter.hit("a", 60_000)).toEqual({ count: 2, resetInMs: 40_000 });
    expect(await counter.hit("b", 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
    now += 40_000;
    expect(await counter.hit("a", 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
    expect(counter.degraded).toBe(false);
  });

  it("sweeps expired windows as hits arrive", async () => {
    let now = 0;
    const counter = new MemoryRateCounter({ now: () => now, sweepIntervalMs: 1_000 });
    for (let index = 0; index < 50; index += 1) await counter.hit(`client-${index}`, 500);
    expect(counter.size).toBe(50);
    now = 600;
    await counter.hit("late", 500);
    expect(counter.size).toBe(51);
    now = 1_000;
    await counter.hit("later", 60_000);
    expect(counter.size).toBe(2);
  });

  it("drops the oldest windows past maxKeys", async () => {
    const counter = new MemoryRateCounter({ maxKeys: 10 });
    for (let index = 0; index < 25; index += 1) await counter.hit(`client-${index}`, 60_000);
    expect(counter.size).toBeLessThanOrEqual(10);
    expect(await counter.hit("client-24", 60_000)).toMatchObject({ count: 2 });
    expect(await counter.hit("client-0", 60_000)).toMatchObject({ count: 1 });
  });

  it("forgets everything on close", async () => {
    const counter = new MemoryRateCounter();
    await counter.hit("a", 60_000);
    await counter.close();
    expect(counter.size).toBe(0);
  });
});

describe("createRateCounter", () => {
  it("counts in memory without a Redis URL", async () => {
    const counter = createRateCounter({ logger: createLogger("test") });
    expect(counter).toBeInstanceOf(MemoryRateCounter);
    await counter.close();
  });

  it("namespaces Redis keys", () => {
    expect(redisKey("rl", "client", "cl_1")).toBe("onecert:rl:client:cl_1");
  });
});
