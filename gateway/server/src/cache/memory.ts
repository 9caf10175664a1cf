import { labelOf } from "./keys";
import { CounterBook, type Cache, type CacheSetOptions } from "./types";

export interface MemoryCacheOptions {
  /** Most entries held. Default 10000. */
  maxEntries?: number;
  /** Most bytes held (keys and values, UTF-16). Default 64 MiB. */
  maxBytes?: number;
  /** Longest TTL of a tagged entry, in seconds. Default 600. */
  maxTtlSeconds?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

interface Entry {
  value: string;
  bytes: number;
  expiresAt: number;
  tags: readonly string[];
}

/**
 * The in-process fallback when no Redis is configured: an LRU bounded by entries and bytes, with
 * a tag index so that invalidation never scans. Each replica holds its own copy, so this suits
 * one gateway process (`onecert start`), not a fleet.
 */
export class MemoryCache implements Cache {
  readonly kind = "memory";
  readonly degraded = false;
  readonly failures = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly tagged = new Map<string, Set<string>>();
  private readonly book = new CounterBook();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private readonly maxTtlSeconds: number;
  private bytes = 0;

  constructor(options: MemoryCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.now = options.now ?? Date.now;
    this.maxTtlSeconds = options.maxTtlSeconds ?? 600;
  }

  /** Entries and bytes held now. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  async get(keys: readonly string[]): Promise<(string | undefined)[]> {
    const now = this.now();
    return keys.map((key) => {
      const entry = this.entries.get(key);
      if (entry && entry.expiresAt <= now) this.remove(key);
      if (!entry || entry.expiresAt <= now) {
        this.book.add(labelOf(key), "misses");
        return undefined;
      }
      // Re-inserting keeps the map in least-recently-used order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.book.add(labelOf(key), "hits");
      return entry.value;
    });
  }

  async set(key: string, value: string, options: CacheSetOptions): Promise<void> {
    if (options.ttlSeconds < 1) return;
    const bytes = 2 * (key.length + value.length);
    if (bytes > this.maxBytes) return;
    this.remove(key);
    const tags = [...new Set(options.tags ?? [])];
    const ttl = tags.length > 0 ? Math.min(options.ttlSeconds, this.maxTtlSeconds) : options.ttlSeconds;
    this.entries.set(key, { value, bytes, expiresAt: this.now() + ttl * 1000, tags });
    this.bytes += bytes;
    for (const tag of tags) {
      let keys = this.tagged.get(tag);
      if (!keys) this.tagged.set(tag, (keys = new Set()));
      keys.add(key);
    }
    this.book.add(labelOf(key), "sets");
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.remove(oldest);
      this.book.add(labelOf(oldest), "evictions");
    }
  }

  async delete(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const key of keys) if (this.remove(key)) deleted += 1;
    return deleted;
  }

  async deleteByTag(tags: readonly string[]): Promise<number> {
    const keys = new Set<string>();
    for (const tag of tags) for (const key of this.tagged.get(tag) ?? []) keys.add(key);
    return this.delete([...keys]);
  }

  async clear(): Promise<void> {
    this.entries.clear();
    this.tagged.clear();
    this.bytes = 0;
  }

  counters() {
    return this.book.snapshot();
  }

  countInvalidation(label: string, count = 1): void {
    this.book.add(label, "invalidations", count);
  }

  async close(): Promise<void> {
    await this.clear();
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.tagged.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.tagged.delete(tag);
    }
    return true;
  }
}
