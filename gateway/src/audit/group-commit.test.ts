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
    void committer.commit(1);
    void committer.commit(2);
    expect(committer.pending).toBe(2);
    await committer.flush();
    expect(written).toEqual([1, 2]);
    expect(committer.pending).toBe(0);
  });
});
