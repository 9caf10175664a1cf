import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { keyValues, type FetchPlan } from "./fetch-plan";
import { count, decode, store, used, type FetchJob } from "./fetch-job";
import { ttlOf } from "./hints";
import { canonicalJson, entityTag, fetchKey } from "./keys";
import { collectTags } from "./walk";

/**
 * A root-field fetch (`person(idNumber: $id) {...}`), cached as a whole under (subgraph,
 * selection, variables). It is tagged with the entity its key argument names (so a person
 * registered later drops a cached null) and with every entity in the result; a result that
 * cannot be tied to its entities (a null or a list without a key argument) is not stored.
 */
export async function serveRoot(
  job: FetchJob,
  plan: Extract<FetchPlan, { kind: "root" }>,
): Promise<GatewayGraphQLResponse> {
  const { index, subgraph, request, caller } = job;
  const variables = request.variables ?? {};
  const ttl = ttlOf(plan.policy);
  const key = fetchKey({
    subgraph,
    label: plan.label,
    selection: plan.selection,
    variables: canonicalJson(plan.variables.map((name): unknown => variables[name])),
    scope: plan.policy.scope === "PRIVATE" ? caller.clientId : null,
    variant: caller.variant,
  });
  const stored = ttl >= 1 ? decode((await job.cache.get([key]))[0], job.started) : undefined;
  if (stored) {
    count(job, 1, 0);
    used(job, stored);
    return { data: stored.d as Record<string, unknown> };
  }
  count(job, 0, 1);
  const { response, storable } = await job.send(request);
  const data: Record<string, unknown> | null | undefined = response.data;
  const tags = new Set<string>();
  let identified = !!data && !response.errors?.length;
  for (const field of plan.fields) {
    const named = field.keyArgument && keyValues(field.keyArgument, variables);
    if (named && field.entityType) for (const value of named) tags.add(entityTag(field.entityType, value));
    // Without a key argument, a later change can only be matched through what the result holds.
    const value = data?.[field.responseKey];
    if (!named && (value === null || value === undefined || Array.isArray(value))) identified = false;
  }
  collectTags(
    { index, subgraph, fragments: plan.fragments, out: tags },
    "Query",
    plan.selectionSet,
    data,
    false,
  );
  for (const tag of tags) job.state.tags.add(tag);
  if (!identified) job.state.untagged = true;
  if (identified && storable && ttl >= 1) store(job, key, data, tags, ttl);
  return response;
}
