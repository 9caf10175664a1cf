import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { GraphQLFormattedError } from "graphql";
import type { EntityPart } from "./fetch-plan";
import { count, decode, store, used, type FetchJob, type Stored } from "./fetch-job";
import { ttlOf } from "./hints";
import { canonicalJson, entityKey, entityTag, typeTag } from "./keys";
import { collectTags, representationKey } from "./walk";

/**
 * An `_entities` fetch: each representation is looked up under (subgraph, type, key, selection);
 * the misses are fetched together in one call, stitched back in order (errors re-pointed at
 * their entity) and stored unless the subgraph reported an error for them.
 */
export async function serveEntities(
  job: FetchJob,
  parts: Map<string, EntityPart>,
): Promise<GatewayGraphQLResponse> {
  const { index, subgraph, request, caller } = job;
  const representations = (request.variables?.representations ?? []) as Record<string, unknown>[];
  const slots = representations.map((representation) => {
    const type = representation.__typename as string;
    const part = parts.get(type);
    const key = representationKey(index, subgraph, representation);
    if (!part || key === null) return null;
    const { __typename: _type, ...fields } = representation;
    const variables = canonicalJson(part.variables.map((name): unknown => request.variables?.[name]));
    const cacheKey = entityKey({
      subgraph,
      type,
      selection: `${part.selection}|${variables}`,
      representation: canonicalJson(fields),
      scope: part.policy.scope === "PRIVATE" ? caller.clientId : null,
      variant: caller.variant,
    });
    return { type, part, key, cacheKey };
  });
  const lookups = slots.filter((slot) => slot && ttlOf(slot.part.policy) >= 1).map((slot) => slot!.cacheKey);
  const values = lookups.length ? await job.cache.get(lookups) : [];
  const found = new Map<string, Stored>();
  lookups.forEach((key, i) => {
    const stored = decode(values[i], job.started);
    if (stored) found.set(key, stored);
  });
  const results: unknown[] = new Array(representations.length).fill(null);
  const misses: number[] = [];
  for (const [i, slot] of slots.entries()) {
    const stored = slot && found.get(slot.cacheKey);
    if (!stored) misses.push(i);
    else {
      results[i] = stored.d;
      used(job, stored);
    }
  }
  count(job, representations.length - misses.length, misses.length);
  if (misses.length === 0) return { data: { _entities: results } };

  const sub =
    misses.length < representations.length
      ? {
          ...request,
          variables: { ...request.variables, representations: misses.map((i) => representations[i]) },
        }
      : request;
  const { response, storable } = await job.send(sub);
  const fetched = (response.data?._entities ?? []) as unknown[];
  const failed = new Set<number>();
  let global = false;
  const errors = response.errors?.map((error): GraphQLFormattedError => {
    const at = error.path?.[1];
    if (error.path?.[0] !== "_entities" || typeof at !== "number") return ((global = true), error);
    failed.add(at);
    return { ...error, path: ["_entities", misses[at] ?? at, ...error.path.slice(2)] };
  });
  misses.forEach((i, j) => {
    const value = fetched[j] ?? null;
    results[i] = value;
    const slot = slots[i];
    if (!slot) return void (job.state.untagged = true);
    const tags = new Set([entityTag(slot.type, slot.key), typeTag(slot.type)]);
    const walk = { index, subgraph, fragments: new Map(), out: tags };
    collectTags(walk, slot.type, slot.part.selectionSet, value, false);
    for (const tag of tags) job.state.tags.add(tag);
    const ttl = ttlOf(slot.part.policy);
    if (storable && !global && !failed.has(j) && value !== null && ttl >= 1)
      store(job, slot.cacheKey, value, tags, ttl);
  });
  return {
    ...response,
    data: { ...response.data, _entities: results },
    errors: errors?.length ? errors : undefined,
  };
}
