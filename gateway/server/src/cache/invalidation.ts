import { EVERYTHING, type Logger } from "@onecert/subgraph-kit";
import { entityTag, typeTag, unkeyedTag } from "./keys";
import type { Cache } from "./types";

/** What a registry change names: the same shape as an InvalidationEvent, without transport fields. */
export interface Invalidation {
  type: string;
  key: string | null;
  tags: readonly string[];
}

/**
 * "Household:H99..." and also "Household:?": entries holding household data without its key. A
 * relation tag ("owner:Person:1101...") also names its entity ("Person:1101...").
 */
function expand(tag: string, out: Set<string>): void {
  out.add(tag);
  const parts = tag.split(":");
  const at = parts.length > 2 && /^[A-Z]/.test(parts[1]) ? 1 : 0;
  if (parts.length < 2 || !/^[A-Za-z_]\w*$/.test(parts[at])) return;
  out.add(entityTag(parts[at], parts.slice(at + 1).join(":")));
  out.add(unkeyedTag(parts[at]));
}

/** The tags a change drops: the entity, every tag it names, and unkeyed data of each type involved. */
export function tagsOfChange(change: Invalidation): string[] {
  const out = new Set<string>();
  if (change.key !== null) expand(entityTag(change.type, change.key), out);
  out.add(unkeyedTag(change.type));
  for (const tag of change.tags) expand(tag, out);
  return [...out];
}

/**
 * When each tag was last invalidated here, so a fetch that started before a change never stores
 * what it read (it may be the old value) after the change's invalidation already ran.
 */
export class InvalidationLog {
  private readonly at = new Map<string, number>();
  private everything = 0;
  private nextPrune: number;

  /** `retentionMs`: how long changes are remembered; an older fetch is never stored. Default 120 s. */
  constructor(
    private readonly retentionMs = 120_000,
    private readonly now: () => number = Date.now,
  ) {
    this.nextPrune = now() + retentionMs;
  }

  record(tags: Iterable<string>): void {
    const now = this.now();
    for (const tag of tags) this.at.set(tag, now);
    if (now >= this.nextPrune) {
      this.nextPrune = now + this.retentionMs;
      for (const [tag, when] of this.at) if (when < now - this.retentionMs) this.at.delete(tag);
    }
  }

  recordAll(): void {
    this.everything = this.now();
  }

  /** Whether data read since `started` may predate an invalidation of any of `tags`. */
  changedSince(tags: Iterable<string>, started: number): boolean {
    if (started < this.now() - this.retentionMs || this.everything >= started) return true;
    for (const tag of tags) if ((this.at.get(tag) ?? -Infinity) >= started) return true;
    return false;
  }
}

/** Applies changes to the cache: from the registries' events and from the admin API. */
export class Invalidator {
  private readonly seen = new Set<string>();

  constructor(
    private readonly cache: Cache,
    readonly log: InvalidationLog,
    private readonly logger: Logger,
  ) {}

  /**
   * Drops what `change` makes stale (everything, for an EVERYTHING event); an event id seen
   * before is ignored. Resolves with the entries dropped (0 for a flush, counted as one under "*").
   */
  async apply(change: Invalidation, eventId?: string): Promise<number> {
    if (eventId !== undefined) {
      if (this.seen.has(eventId)) return 0;
      this.seen.add(eventId);
      if (this.seen.size > 10_000) this.seen.delete(this.seen.values().next().value!);
    }
    if (change.type === EVERYTHING) {
      // A subscriber that may have missed events, or a reseeded registry: nothing cached is trusted.
      this.logger.warn("cache flushed: events may have been missed or a registry was reseeded");
      await this.flush();
      this.cache.countInvalidation(EVERYTHING, 1);
      return 0;
    }
    return this.drop(change.type, tagsOfChange(change));
  }

  /** Drops every entry holding data of `type`. */
  invalidateType(type: string): Promise<number> {
    return this.drop(type, [typeTag(type)]);
  }

  /** Drops the entries of one tag, e.g. "Household:H99010100000001". */
  invalidateTag(tag: string): Promise<number> {
    const tags = new Set<string>();
    expand(tag, tags);
    const colon = tag.indexOf(":");
    return this.drop(colon > 0 ? tag.slice(0, colon) : tag, [...tags]);
  }

  /** Drops everything. */
  async flush(): Promise<void> {
    this.log.recordAll();
    await this.cache.clear();
  }

  private async drop(label: string, tags: string[]): Promise<number> {
    // Recorded first: a fetch finishing while the deletion runs must see it.
    this.log.record(tags);
    const dropped = await this.cache.deleteByTag(tags);
    this.cache.countInvalidation(label, dropped);
    this.logger.debug({ type: label, tags, dropped }, "cache entries invalidated");
    return dropped;
  }
}
