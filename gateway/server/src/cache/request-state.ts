/** What the caches saw while serving one request; the response cache reads it at the end. */
export interface RequestCacheState {
  /** Entities and fetches served from cache. */
  hits: number;
  /** Entities and fetches that had to be fetched. */
  misses: number;
  /** Tags of all data the response holds, for invalidating the response entry. */
  tags: Set<string>;
  /** Earliest expiry (epoch ms) of the cached data used; Infinity when none was. */
  expiresAt: number;
  /** Some data came back without tags the cache could trust: the response must not be stored. */
  untagged: boolean;
  /** When the request's first fetch started (epoch ms); Infinity before. */
  startedAt: number;
}

const states = new WeakMap<object, RequestCacheState>();

/** The state of the request a GatewayContext belongs to (one per context object). */
export function cacheStateOf(context: object): RequestCacheState {
  let state = states.get(context);
  if (!state) {
    state = {
      hits: 0,
      misses: 0,
      tags: new Set(),
      expiresAt: Infinity,
      untagged: false,
      startedAt: Infinity,
    };
    states.set(context, state);
  }
  return state;
}

/** HIT when nothing was fetched, MISS when nothing came from cache, PARTIAL otherwise. */
export function cacheStatus(state: Pick<RequestCacheState, "hits" | "misses">): "HIT" | "MISS" | "PARTIAL" {
  if (state.hits > 0 && state.misses === 0) return "HIT";
  return state.hits > 0 ? "PARTIAL" : "MISS";
}
