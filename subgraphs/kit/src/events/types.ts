/**
 * A registry change that makes cached copies of an entity stale. Registries publish one after
 * the change commits; every gateway replica drops the matching cache entries.
 */
export interface InvalidationEvent {
  /** Unique per event, so a replica can ignore a duplicate delivery. */
  id: string;
  /** The registry (subgraph name) that changed. */
  source: string;
  /** Entity type, e.g. "Person". */
  type: string;
  /** The entity's key value, e.g. the ID number; null when only tags are invalidated. */
  key: string | null;
  /** Further groups to drop, e.g. "Household:H99010100000001", "owner:Person:110105...". */
  tags: string[];
  /** When the change committed, ISO 8601. */
  at: string;
}

/** Where invalidation events travel: Redis pub/sub between processes, or memory within one. */
export interface InvalidationBus {
  publish(event: InvalidationEvent): Promise<void>;
  /** Calls `handler` for every event published from now on; resolves with the unsubscribe function. */
  subscribe(handler: (event: InvalidationEvent) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * The `type` (and `source`) of an event that makes every cached value stale: a subscriber that
 * may have missed events (its stream was trimmed or Redis restarted) delivers one to its own
 * handlers, and a reseeded registry publishes one.
 */
export const EVERYTHING = "*";

/** The Redis channel invalidation events are published on. */
export const INVALIDATION_CHANNEL = "onecert:invalidation";
