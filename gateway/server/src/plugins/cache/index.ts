import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  OperationTypeNode,
} from "graphql";
import type { Registry } from "prom-client";
import type { MaskingRules, GrantSource } from "@onecert/access";
import {
  cacheStateOf,
  cacheStatus,
  grantsFingerprint,
  maskingFingerprint,
  responseKey,
  selectionPolicy,
  ttlOf,
  type GatewayCache,
  type HintIndex,
} from "../../cache";
import type { GatewayContext } from "../../context";
import { registerCacheMetrics } from "./metrics";

export { registerCacheMetrics } from "./metrics";

export interface CachePluginOptions {
  /** The caches opened at start (services.cache). */
  cache: GatewayCache;
  /** The same grants the policy decides on: they are part of every response key. */
  grants: GrantSource;
  /** The masking rules in force: part of every response key. */
  masking: MaskingRules;
  /** Where the cache counters are exported; default nowhere. */
  registry?: Registry;
  /** Operations whose cache policy is kept. Default 1000. */
  maxPolicies?: number;
}

/** A cached response: the data before masking, its tags, its expiry and the registries it came from. */
interface StoredResponse {
  d: Record<string, unknown>;
  t: string[];
  x: number;
  s: string[];
}

function operationTtl(index: HintIndex, operation: OperationDefinitionNode, document: DocumentNode): number {
  if (operation.operation !== OperationTypeNode.QUERY) return 0;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return ttlOf(selectionPolicy(index, "Query", operation.selectionSet, fragments));
}

/**
 * The response cache, the cache-control header and the invalidation subscriber. A whole query is
 * served from cache when every field in it has a hint (the shortest wins). The lookup runs in
 * responseForOperation, which Apollo calls only after every didResolveOperation hook passed: the
 * rate limit, the safelist and the policy have allowed the request as they would uncached, and
 * the policy still masks the cached data on the way out. The key holds everything that decides
 * what the caller may see (client, role, department, matter, grants, masking rules, schema).
 * The result is copied in executionDidEnd, before any willSendResponse hook (the policy masks
 * there), so a cached response is masked exactly once on its way out, like an uncached one,
 * whatever the plugin order.
 */
export function cachePlugin(options: CachePluginOptions): ApolloServerPlugin<GatewayContext> {
  const { cache } = options;
  const { config } = cache;
  const masking = maskingFingerprint(options.masking);
  const ttls = new Map<string, number>();
  if (options.registry) registerCacheMetrics(options.registry, cache.store);

  return {
    async serverWillStart({ logger }) {
      const unsubscribe = await cache.bus.subscribe((event) => {
        cache.invalidator.apply(event, event.id).catch((error: unknown) => {
          logger.warn(`cache invalidation of ${event.type} ${event.key ?? ""} failed: ${String(error)}`);
        });
      });
      return {
        schemaDidLoadOrUpdate({ coreSupergraphSdl }) {
          if (!coreSupergraphSdl) return;
          cache.setSupergraph(coreSupergraphSdl);
          ttls.clear();
        },
        serverWillStop: () => unsubscribe(),
      };
    },

    async requestDidStart() {
      const started = Date.now();
      let ttl = 0;
      let key: string | undefined;
      let served: StoredResponse | undefined;
      let copied: string | undefined;
      return {
        async didResolveOperation({ operation, document, queryHash, overallCachePolicy }) {
          const index = cache.index();
          if (!operation || !index) return;
          const memo = `${queryHash}:${operation.name?.value ?? ""}`;
          ttl = ttls.get(memo) ?? operationTtl(index, operation, document);
          if (ttls.size >= (options.maxPolicies ?? 1000)) ttls.delete(ttls.keys().next().value!);
          ttls.set(memo, ttl);
          // Every response depends on the caller's rights: no shared HTTP cache may reuse it.
          overallCachePolicy.restrict({ maxAge: ttl, scope: "PRIVATE" });
        },

        async responseForOperation({ request, queryHash, contextValue }) {
          const { client, purpose, trace } = contextValue;
          const index = cache.index();
          const matter = purpose.matterCode;
          if (!config.enabled || ttl < 1 || !client || !matter || !index || !queryHash) return null;
          const grants = await options.grants.activeGrants(client.id);
          key = responseKey({
            schema: index.id,
            clientId: client.id,
            role: client.role,
            department: client.department,
            matter,
            grants: grantsFingerprint(grants, matter),
            masking,
            queryHash,
            operationName: request.operationName ?? null,
            variables: request.variables ?? {},
          });
          const raw = (await cache.store.get([key]))[0];
          const stored = raw === undefined ? undefined : (JSON.parse(raw) as StoredResponse);
          if (!stored || stored.x <= Date.now()) {
            trace.cacheMisses += 1;
            return null;
          }
          served = stored;
          trace.cacheHits += 1;
          for (const subgraph of stored.s) trace.subgraphs.add(subgraph);
          return {
            http: { headers: new HeaderMap() },
            body: { kind: "single", singleResult: { data: stored.d } },
          };
        },

        async executionDidStart({ response }) {
          if (!key) return;
          return {
            async executionDidEnd(error) {
              const body = response.body;
              if (error || body?.kind !== "single" || body.singleResult.errors?.length) return;
              if (body.singleResult.data) copied = JSON.stringify(body.singleResult.data);
            },
          };
        },

        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          const state = cacheStateOf(contextValue);
          const ok = !result.errors?.length && !!result.data && ttl >= 1;
          // Data just read is as fresh as its hint; cached data (the response, or entities in it) has aged.
          const limit = served?.x ?? state.expiresAt;
          const expiresAt = Math.min(started + ttl * 1000, limit);
          const remaining = limit < started + ttl * 1000 ? Math.floor((limit - Date.now()) / 1000) : ttl;
          const fresh = !cache.invalidator.log.changedSince(state.tags, Math.min(started, state.startedAt));
          if (
            !served &&
            key &&
            copied &&
            ok &&
            remaining >= 1 &&
            state.tags.size > 0 &&
            !state.untagged &&
            fresh
          ) {
            const tags = [...state.tags];
            const rest = JSON.stringify({ t: tags, x: expiresAt, s: [...contextValue.trace.subgraphs] });
            const entry = `{"d":${copied},${rest.slice(1)}`;
            cache.store.set(key, entry, { ttlSeconds: remaining, tags }).catch(() => undefined);
          }
          const headers = response.http.headers;
          headers.set("cache-control", ok && remaining >= 1 ? `max-age=${remaining}, private` : "no-store");
          if (config.debugHeader) headers.set("x-cache", served ? "HIT" : cacheStatus(state));
        },
      };
    },
  };
}
