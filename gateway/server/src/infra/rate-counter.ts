/** The state of one key's window after a hit. */
export interface RateHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again. */
  resetInMs: number;
}

/** Fixed-window hit counters, per key. */
export interface RateCounter {
  /** Counts one hit on `key` in its window of `windowMs` (the first hit opens the window). */
  hit(key: string, windowMs: number): Promise<RateHit>;
  /** True while counts are per process because the shared store is unreachable. */
  readonly degraded: boolean;
  close(): Promise<void>;
}

export interface MemoryRateCounterOptions {
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
  /** Expired windows are swept at most this often. Default 10000 ms. */
  sweepIntervalMs?: number;
  /** Most windows kept; past it the oldest are dropped. Default 100000. */
  maxKeys?: number;
}

/**
 * Counts in this process only: limits hold per replica. Memory stays bounded: expired windows
 * are swept as hits arrive (no timer to keep the process alive), and past `maxKeys` the oldest
 * windows are dropped, which can only let a client through, never lock one out.
 */
export class MemoryRateCounter implements RateCounter {
  readonly degraded = false;
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly now: () => number;
  private readonly sweepIntervalMs: number;
  private readonly maxKeys: number;
  private nextSweep: number;

  constructor(options: MemoryRateCounterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 10_000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.nextSweep = this.now() + this.sweepIntervalMs;
  }

  /** Windows currently held. */
  get size(): number {
    return this.windows.size;
  }

  async hit(key: string, windowMs: number): Promise<RateHit> {
    const now = this.now();
    if (now >= this.nextSweep || this.windows.size >= this.maxKeys) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      // Re-inserting keeps the map in window-start order, so the oldest are dropped first.
      this.windows.delete(key);
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetInMs: window.resetAt - now };
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private sweep(now: number): void {
    this.nextSweep = now + this.sweepIntervalMs;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
