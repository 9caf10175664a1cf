import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { GatewayContext } from "../../context";
import type { RateCounter, RateHit } from "../../infra";

const WINDOW_MS = 60_000;

export interface RateLimitOptions {
  /** Shared (Redis) or per-process counts; see createRateCounter. */
  counter: RateCounter;
  /** Requests per client per minute when the client has no limit of its own (config default 600). */
  defaultPerMinute: number;
  /** Requests not counted, e.g. a certificate check's own data request (its check was). Default none. */
  exempt?: (context: GatewayContext) => boolean;
}

/** The refusal of a request over the client's limit: RATE_LIMITED, HTTP 429 with retry-after. */
export function rateLimited(limit: number, resetInMs: number): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(resetInMs / 1000));
  return new GraphQLError(`rate limit of ${limit} requests per minute exceeded; retry in ${retryAfter} s`, {
    extensions: {
      code: "RATE_LIMITED",
      limit,
      retryAfter,
      http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfter)]]) },
    },
  });
}

/**
 * Limits each authenticated client to its requests per minute (fixed 60 s windows, so a burst
 * across a window boundary can reach twice the limit). Every request is counted as it starts,
 * including those that later fail to parse or validate; the refusal itself can only be raised
 * in didResolveOperation, the earliest hook where Apollo turns a thrown error into a clean
 * response (before it, the same throw becomes a 500). A counter failure lets the request through.
 *
 * List this plugin before the other refusing plugins: Apollo runs every didResolveOperation
 * hook at once and reports the first rejection, and this one rejects synchronously once the
 * count is in, so that a client over its limit is told to back off before anything else.
 */
export function rateLimitPlugin({
  counter,
  defaultPerMinute,
  exempt,
}: RateLimitOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const client = contextValue.client;
      if (!client || exempt?.(contextValue)) return undefined;
      const limit = client.rateLimitPerMinute ?? defaultPerMinute;
      let settled: RateHit | null | undefined;
      const pending = counter.hit(`client:${client.id}`, WINDOW_MS).then(
        (hit) => (settled = hit),
        (error: unknown) => {
          contextValue.log.warn({ err: error }, "rate counter failed; request let through");
          return (settled = null);
        },
      );
      return {
        async didResolveOperation() {
          const hit = settled === undefined ? await pending : settled;
          if (hit && hit.count > limit) throw rateLimited(limit, hit.resetInMs);
        },
      };
    },
  };
}
