import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { HintIndex } from "./hints";
import type { InvalidationLog } from "./invalidation";
import type { RequestCacheState } from "./request-state";
import type { Cache } from "./types";

/** One cached entity or fetch: the data, its tags and when it expires (epoch ms). */
export interface Stored {
  d: unknown;
  t: string[];
  x: number;
}

/** Who asks: PRIVATE data is cached per client. `variant` digests the headers sent for the caller. */
export interface FetchCaller {
  clientId: string;
  variant: string;
  /** Per-request state to report into (a GatewayContext). */
  context: object;
  /** The request's trace: hits and misses are added to it as they happen. */
  trace?: { cacheHits: number; cacheMisses: number };
}

/** Sends (part of) a fetch; resolves with the response and whether it may be stored (see datasource). */
export type Send = (
  request: GatewayGraphQLRequest,
) => Promise<{ response: GatewayGraphQLResponse; storable: boolean }>;

/** One subgraph fetch on its way through the entity cache. */
export interface FetchJob {
  index: HintIndex;
  subgraph: string;
  request: GatewayGraphQLRequest;
  caller: FetchCaller;
  state: RequestCacheState;
  send: Send;
  cache: Cache;
  log: InvalidationLog;
  /** When the job started (epoch ms): what it fetches is at least this fresh. */
  started: number;
}

/** A stored entry, or undefined when missing, unreadable or expired at `now`. */
export function decode(raw: string | undefined, now: number): Stored | undefined {
  if (raw === undefined) return undefined;
  try {
    const stored = JSON.parse(raw) as Stored;
    return stored.x > now ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** Adds lookups to the request's state and trace. */
export function count(job: FetchJob, hits: number, misses: number): void {
  job.state.hits += hits;
  job.state.misses += misses;
  if (job.caller.trace) {
    job.caller.trace.cacheHits += hits;
    job.caller.trace.cacheMisses += misses;
  }
}

/** Records that the response holds `stored`: its tags, and that it is no fresher than its expiry. */
export function used(job: FetchJob, stored: Stored): void {
  for (const tag of stored.t) job.state.tags.add(tag);
  job.state.expiresAt = Math.min(job.state.expiresAt, stored.x);
}

/** Stores what the job fetched, unless a change of any of its tags was seen since the job started. */
export function store(job: FetchJob, key: string, data: unknown, tags: Set<string>, ttl: number): void {
  if (job.log.changedSince(tags, job.started)) return;
  // The data is as old as the fetch that read it.
  const value: Stored = { d: data, t: [...tags], x: job.started + ttl * 1000 };
  job.cache.set(key, JSON.stringify(value), { ttlSeconds: ttl, tags: value.t }).catch(() => undefined);
}
