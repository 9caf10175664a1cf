/** Options of a group committer. */
export interface GroupCommitOptions {
  /** Most items in one write. Default 256. */
  batchMax?: number;
  /**
   * Longest time the first item of an idle queue waits for others before the write starts, ms.
   * It waits only while items arrive more often than that (about twice the recent gap between
   * items), so under load writes carry several items and a lone item is written at once.
   * Default 2; 0 never waits.
   */
  batchWaitMs?: number;
}

interface Waiting<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit: concurrent callers share one write (one transaction, one fsync) and each waits
 * for the write that carries its item. One write runs at a time, so a batch fills while the
 * previous one commits and the batch size follows the load.
 */
export class GroupCommitter<T> {
  private readonly batchMax: number;
  private readonly waitMs: number;
  private queue: Waiting<T>[] = [];
  private running = false;
  private writing = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private idle: (() => void)[] = [];
  private lastArrival = 0;
  // Moving average of the time between items, ms: how soon company can be expected.
  private gap = Number.POSITIVE_INFINITY;

  constructor(
    private readonly write: (items: T[]) => Promise<unknown>,
    options: GroupCommitOptions = {},
  ) {
    this.batchMax = options.batchMax ?? 256;
    this.waitMs = options.batchWaitMs ?? 2;
  }

  /** Resolves once the write that carries `item` has succeeded; rejects with that write's error. */
  commit(item: T): Promise<void> {
    const now = performance.now();
    if (this.lastArrival > 0) {
      const since = now - this.lastArrival;
      this.gap = Number.isFinite(this.gap) ? this.gap * 0.8 + since * 0.2 : since;
    }
    this.lastArrival = now;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting or being written. */
  get pending(): number {
    return this.queue.length + this.writing;
  }

  /** Resolves when every item committed so far has been written (or has failed). */
  flush(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    if (this.timer) this.start();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.running) return;
    if (this.queue.length >= this.batchMax) return this.start();
    if (this.timer) return;
    const wait = this.gap < this.waitMs ? Math.min(this.waitMs, this.gap * 2) : 0;
    this.timer = wait > 0 ? setTimeout(() => this.start(), wait) : setImmediate(() => this.start());
  }

  private start(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = undefined;
    }
    if (this.running) return;
    this.running = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchMax);
      this.writing = batch.length;
      try {
        await this.write(batch.map((waiting) => waiting.item));
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
      this.writing = 0;
    }
    this.running = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
