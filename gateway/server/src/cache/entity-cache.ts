import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { serveEntities } from "./entities";
import { planFetch, type FetchPlan } from "./fetch-plan";
import type { FetchCaller, Send } from "./fetch-job";
import type { HintIndex } from "./hints";
import type { InvalidationLog } from "./invalidation";
import { cacheStateOf } from "./request-state";
import { serveRoot } from "./root-fetch";
import type { Cache } from "./types";

export type { FetchCaller, Send } from "./fetch-job";

export interface EntityCacheOptions {
  cache: Cache;
  /** The hints of the current supergraph; undefined until it is loaded. */
  index: () => HintIndex | undefined;
  log: InvalidationLog;
  /** Parsed fetches kept per subgraph query. Default 2000. */
  maxPlans?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

/**
 * Serves subgraph fetches from cache: each entity of an `_entities` fetch (see serveEntities),
 * a root-field fetch as a whole (see serveRoot). Raw subgraph data is the same for every caller
 * (the policy decides before the fetch and masks after it), so it is shared between callers
 * unless a hint says PRIVATE. Anything it cannot read (mutations, other shapes) passes through.
 */
export class EntityCache {
  private readonly plans = new Map<string, FetchPlan>();
  private plansFor: HintIndex | undefined;
  private readonly now: () => number;

  constructor(private readonly options: EntityCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  async fetch(
    subgraph: string,
    request: GatewayGraphQLRequest,
    caller: FetchCaller,
    send: Send,
  ): Promise<GatewayGraphQLResponse> {
    const index = this.options.index();
    const plan = index && request.query ? this.plan(index, request.query) : undefined;
    const state = cacheStateOf(caller.context);
    const started = this.now();
    state.startedAt = Math.min(state.startedAt, started);
    if (!index || !plan || plan.kind === "none") {
      // Data the cache cannot tag: the response that holds it must not be cached either.
      state.untagged = true;
      return (await send(request)).response;
    }
    const { cache, log } = this.options;
    const job = { index, subgraph, request, caller, state, send, cache, log, started };
    return plan.kind === "entities" ? serveEntities(job, plan.parts) : serveRoot(job, plan);
  }

  private plan(index: HintIndex, query: string): FetchPlan {
    if (this.plansFor !== index) {
      this.plans.clear();
      this.plansFor = index;
    }
    let plan = this.plans.get(query);
    if (!plan) {
      plan = planFetch(index, query);
      if (this.plans.size >= (this.options.maxPlans ?? 2000))
        this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(query, plan);
    }
    return plan;
  }
}
