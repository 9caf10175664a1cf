import { describe, expect, it } from "vitest";
import { GroupCommitter } from "./group-commit";

describe("group commit", () => {
  it("lets concurrent callers share writes, in order, at most batchMax at a time", async () => {
    const writes: number[][] = [];
    const committer = new GroupCommitter<number>(
      async (items) => {
        writes.push(items);
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
      { batchMax: 10, batchWaitMs: 0 },
    );
    await Promise.all(Array.from({ length: 35 }, (_, i) => committer.commit(i)));
    expect(writes.flat()).toEqual(Array.from({ length: 35 }, (_, i) => i));
    expect(writes.length).toBeLessThan(35);
    expect(Math.max(...writes.map((batch) => batch.length))).toBeLessThanOrEqual(10);
  });

  it("fails exactly the callers whose write failed", async () => {
    let calls = 0;
    const committer = new GroupCommitter<string>(
      async (items) => {
        calls += 1;
        if (items.includes("bad")) throw new Error("write failed");
      },
      { batchMax: 2, batchWaitMs: 0 },
    );
    const results = await Promise.allSettled(["a", "bad", "c", "d"].map((item) => committer.commit(item)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "fulfilled", "fulfilled"]);
    expect(calls).toBe(2);
  });

  it("flush waits for what is pending, also while the first write waits for company", async () => {
    const written: number[] = [];
    const committer = new GroupCommitter<number>(async (items) => void written.push(...items), {
      batchWaitMs: 1000,
    });
    // Items a few milliseconds apart: the committer expects company and waits.
    for (const item of [1, 2, 3]) {
      void committer.commit(item);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await committer.flush();
    void committer.commit(4);
    expect(committer.pending).toBe(1);
    await committer.flush();
    expect(written).toEqual([1, 2, 3, 4]);
    expect(committer.pending).toBe(0);
  });

  it("writes a lone item at once, and items that keep coming in shared writes", async () => {
    const writes: { items: number[]; at: number }[] = [];
    const committer = new GroupCommitter<number>(
      async (items) => void writes.push({ items, at: performance.now() }),
      { batchWaitMs: 50 },
    );
    const lone = performance.now();
    await committer.commit(0);
    expect(writes[0].at - lone).toBeLessThan(40);
    // Then a steady stream, one item every 4 ms: writes wait a little and carry several.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stream: Promise<void>[] = [];
    for (let item = 1; item <= 40; item += 1) {
      stream.push(committer.commit(item));
      await new Promise((resolve) => setTimeout(resolve, 4));
    }
    await Promise.all(stream);
    const later = writes.slice(1);
    expect(later.flatMap((write) => write.items)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(later.length).toBeLessThan(30);
  });
});
