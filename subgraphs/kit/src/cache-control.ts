import { Directive } from "type-graphql";

/** PUBLIC data may be cached once for every caller; PRIVATE data only per caller (or not at all). */
export type CacheScope = "PUBLIC" | "PRIVATE";

/** The spec @cacheControl is linked from; composition carries it into the supergraph. */
export const CACHE_CONTROL_SPEC_URL = "https://specs.onecert.example/cache-control/v1.0";

/**
 * SDL every registry subgraph includes so that @cacheControl composes (@composeDirective). The
 * shape is Apollo Server's own, so each subgraph's cache-control header agrees with the gateway.
 * Repeatable: where two registries hint the same type, the supergraph keeps both and the gateway
 * applies the most restrictive.
 */
export const CACHE_CONTROL_DIRECTIVE_SDL =
  "enum CacheControlScope { PUBLIC PRIVATE }\n" +
  "directive @cacheControl(maxAge: Int, scope: CacheControlScope) repeatable on OBJECT | FIELD_DEFINITION";

/**
 * Declares how long the gateway may serve a type's or field's data from cache, in seconds, and
 * whether it may be shared between callers. A field without a hint takes its type's; a type
 * without one is not cached unless the gateway's configuration gives it a default.
 */
export function CacheControl(maxAge: number, scope: CacheScope = "PUBLIC") {
  if (!Number.isInteger(maxAge) || maxAge < 0)
    throw new Error(`@cacheControl maxAge must be >= 0, got ${maxAge}`);
  return Directive(`@cacheControl(maxAge: ${maxAge}, scope: ${scope})`);
}
