import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryReplayGuard } from "./replay";

afterEach(() => vi.restoreAllMocks());

function clock(start = 1_900_000_000_000) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms), in: (ms: number) => new Date(at + ms) };
}

describe("memoryReplayGuard", () => {
  it("accepts an id once and refuses it while it is valid, other ids unaffected", async () => {
    const time = clock();
    const guard = memoryReplayGuard(time.now);
    expect(await guard.first("a", time.in(30_000))).toBe(true);
    expect(await guard.first("a", time.in(30_000))).toBe(false);
    expect(await guard.first("b", time.in(30_000))).toBe(true);
    time.advance(29_999);
    expect(await guard.first("a", time.in(30_000))).toBe(false);
  });

  it("forgets an id once its assertion has expired", async () => {
    const time = clock();
    const guard = memoryReplayGuard(time.now);
    await guard.first("a", time.in(1000));
    time.advance(1000);
    // Its assertion cannot verify any more, so a second use is refused elsewhere (as expired).
    expect(await guard.first("a", time.in(1000))).toBe(true);
  });

  it("frees the memory of expired ids, and only theirs", async () => {
    const time = clock();
    const guard = memoryReplayGuard(time.now);
    const deleted = vi.spyOn(Map.prototype, "delete");
    for (let n = 0; n < 100; n += 1) await guard.first(`short-${n}`, time.in(1000));
    await guard.first("long", time.in(60_000));
    // The sweep runs at most every 10 s, not on every call.
    time.advance(5000);
    await guard.first("trigger-1", time.in(1000));
    expect(deleted).not.toHaveBeenCalled();
    time.advance(5001);
    await guard.first("trigger-2", time.in(1000));
    const freed = deleted.mock.calls.map(([id]) => id as string);
    expect(freed).toHaveLength(101);
    expect(new Set(freed)).toEqual(
      new Set([...Array.from({ length: 100 }, (_, n) => `short-${n}`), "trigger-1"]),
    );
    expect(await guard.first("long", time.in(60_000))).toBe(false);
  });

  it("forgets everything on close", async () => {
    const guard = memoryReplayGuard();
    const until = new Date(Date.now() + 30_000);
    await guard.first("a", until);
    await guard.close();
    expect(await guard.first("a", until)).toBe(true);
  });
});
