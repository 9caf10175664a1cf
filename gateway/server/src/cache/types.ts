/** What a cache counts, per label (the entity type, or "response", "apq"). */
export interface CacheCounters {
  hits: number;
  misses: number;
  sets: number;
  /** Entries dropped to make room (LRU) before they expired. */
  evictions: number;
  /** Entries dropped because their data changed (events, admin). */
  invalidations: number;
}

export interface CacheSetOptions {
  /** Seconds until the entry expires; below 1 nothing is stored. */
  ttlSeconds: number;
  /** Groups the entry belongs to, e.g. "Person:110105...", for deleteByTag. Default none. */
  tags?: readonly string[];
}

/**
 * The gateway's cache: string values under logical keys built by ./keys (the first segment
 * names the kind, the second the label the counters use). Implementations add their own prefix
 * and never block a request on an unavailable store: a failing read is a miss, a failing write
 * is dropped.
 */
export interface Cache {
  /** Values of `keys`, in order; undefined for a miss. One round trip for many keys. */
  get(keys: readonly string[]): Promise<(string | undefined)[]>;
  set(key: string, value: string, options: CacheSetOptions): Promise<void>;
  /** Deletes entries by key; resolves with how many existed (when the store can tell). */
  delete(keys: readonly string[]): Promise<number>;
  /** Deletes every entry carrying any of `tags`; resolves with how many were dropped. */
  deleteByTag(tags: readonly string[]): Promise<number>;
  /** Makes every entry written so far unreachable (they expire on their own). */
  clear(): Promise<void>;
  /** Counters per label since start. */
  counters(): ReadonlyMap<string, Readonly<CacheCounters>>;
  /** Counts invalidations of `label` (callers know the type; the store only sees keys). */
  countInvalidation(label: string, count?: number): void;
  /** True while the shared store is unreachable or slow and every lookup is a miss. */
  readonly degraded: boolean;
  /** Store calls that failed or timed out since start. */
  readonly failures: number;
  /** "redis", "redis-cluster" or "memory". */
  readonly kind: string;
  close(): Promise<void>;
}

/** Counters per label, shared by the backends. */
export class CounterBook {
  private readonly book = new Map<string, CacheCounters>();

  /** Adds `by` to one counter of `label`. */
  add(label: string, counter: keyof CacheCounters, by = 1): void {
    let counters = this.book.get(label);
    if (!counters) {
      counters = { hits: 0, misses: 0, sets: 0, evictions: 0, invalidations: 0 };
      this.book.set(label, counters);
    }
    counters[counter] += by;
  }

  snapshot(): ReadonlyMap<string, Readonly<CacheCounters>> {
    return this.book;
  }
}
