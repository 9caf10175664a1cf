import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { EVERYTHING, HEADERS } from "@onecert/subgraph-kit";
import { injectTraceContext, SpanKind, tracingEnabled, withSpan } from "@onecert/subgraph-kit/tracing";
import { GraphQLError } from "graphql";
import type { EntityCache } from "./cache/entity-cache";
import { dedupingFetcher, type Fetch } from "./cache/inflight";
import type { GatewayContext } from "./context";
import { subgraphClient } from "./hop/http-client";
import { HOP_CONTEXT_HEADER, type Hop } from "./hop/seam";

/** Called after every subgraph fetch, for metrics. */
export type FetchObserver = (subgraph: string, seconds: number, outcome: "ok" | "error") => void;

export interface RegistryDataSourceOptions {
  name: string;
  url: string;
  /** Abort a subgraph call after this many milliseconds. Default 5000. */
  timeoutMs?: number;
  onFetch?: FetchObserver;
  /** Serves entities and root fields from cache; default none (every fetch reaches the subgraph). */
  cache?: EntityCache;
  /** Signs every call and reads what comes back; default none: calls go unsigned (tests of other parts). */
  hop?: Hop;
  /**
   * How a call reaches the subgraph. Default the gateway's keep-alive HTTP client with the
   * timeout; the in-memory test gateway answers in process instead, through the same path otherwise.
   */
  fetch?: Fetch;
  /**
   * Applied, before the answer goes on, to the change events a subgraph returns with a mutation
   * (extensions.invalidations): the shared cache drops what they make stale, so a read that starts
   * after the mutation's answer sees the change on every replica. Default none.
   */
  onInvalidations?: (subgraph: string, events: AnnouncedInvalidation[]) => Promise<void>;
}

/** A change event as a registry returns it with its answer. */
export interface AnnouncedInvalidation {
  id: string;
  type: string;
  key: string | null;
  tags: string[];
}

const isMutation = (query: string | undefined) => /^\s*mutation\b/.test(query ?? "");

const isAnnounced = (value: unknown): value is AnnouncedInvalidation => {
  const event = value as Partial<AnnouncedInvalidation> | null;
  return (
    typeof event?.id === "string" &&
    typeof event.type === "string" &&
    event.type !== EVERYTHING &&
    (event.key === null || typeof event.key === "string") &&
    Array.isArray(event.tags) &&
    event.tags.every((tag) => typeof tag === "string")
  );
};

/** Headers the cache does not key on: the same on every fetch, or per request and never read by a subgraph for data. */
const NEUTRAL_HEADERS = new Set(["content-type", HEADERS.requestId, HOP_CONTEXT_HEADER]);

/**
 * All subgraph I/O: forwards the request id, signs each call (the hop), bounds it by a timeout,
 * sends identical queries of the same caller in flight at the same moment once, serves what it
 * can from the entity cache, and turns a transport failure into an error that names the
 * registry, so the rest of the plan still runs and the caller gets partial data.
 */
export class RegistryDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  private readonly onFetch?: FetchObserver;
  private readonly cache?: EntityCache;
  private readonly hop?: Hop;
  private readonly onInvalidations?: RegistryDataSourceOptions["onInvalidations"];

  constructor(options: RegistryDataSourceOptions) {
    const transport = traced(options.fetch ?? subgraphClient({ timeoutMs: options.timeoutMs ?? 5000 }));
    super({
      url: options.url,
      fetcher: dedupingFetcher(options.hop ? options.hop.signing(options.name, transport) : transport),
    });
    this.name = options.name;
    this.onFetch = options.onFetch;
    this.cache = options.cache;
    this.hop = options.hop;
    this.onInvalidations = options.onInvalidations;
    // The gateway derives cache-control from the supergraph's hints (plugins/cache), not from subgraph headers.
    this.honorSubgraphCacheControlHeader = false;
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const { request } = options;
    const context = options.context as GatewayContext | undefined;
    if (context?.requestId) request.http?.headers.set(HEADERS.requestId, context.requestId);
    if (this.hop) request.http?.headers.set(HOP_CONTEXT_HEADER, this.hop.callerOf(context));
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    // Health checks and schema loads carry a plain object, not a GatewayContext.
    const context = options.context as GatewayContext | undefined;
    context?.trace?.subgraphs.add(this.name);
    if (context?.trace) noteRepresentations(this.name, options.request.variables, context.trace.sent);
    try {
      const client = context?.client;
      // Health checks and schema loading carry no caller and are never cached.
      if (!this.cache || !client || !("incomingRequestContext" in options)) {
        return (await this.send(options)).response;
      }
      const caller = { clientId: client.id, variant: "", context, trace: context.trace };
      return await withSpan("onecert.cache.entities", { "onecert.subgraph": this.name }, () =>
        this.cache!.fetch(this.name, options.request, caller, (request) =>
          this.send({ ...options, request }),
        ),
      );
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code !== undefined) throw error;
      const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable";
      context?.log?.warn({ subgraph: this.name, err: error }, "subgraph call failed");
      throw new GraphQLError(`The ${this.name} registry is unavailable (${reason}); its fields are null.`, {
        extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName: this.name },
      });
    }
  }

  /**
   * One call to the subgraph. `storable` says whether only the headers the gateway itself sets
   * were sent; if something else added one, the answer may depend on it and is not stored.
   */
  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const started = performance.now();
    const context = options.context as GatewayContext | undefined;
    try {
      const response = await withSpan(
        "onecert.subgraph.fetch",
        { "onecert.subgraph": this.name },
        () => super.process(options),
        SpanKind.CLIENT,
      );
      this.onFetch?.(this.name, (performance.now() - started) / 1000, response.errors ? "error" : "ok");
      this.hop?.received(this.name, response, context);
      // Only a mutation's answer is believed, and never a "drop everything" (a subgraph could
      // otherwise empty the shared cache at will); those come on the bus from the registries.
      const announced: unknown = response.extensions?.invalidations;
      if (this.onInvalidations && Array.isArray(announced) && isMutation(options.request.query))
        await this.onInvalidations(this.name, announced.filter(isAnnounced));
      const headers = [...(options.request.http?.headers ?? [])].map(([name]) => name.toLowerCase());
      return { response, storable: headers.every((name) => NEUTRAL_HEADERS.has(name)) };
    } catch (error) {
      this.onFetch?.(this.name, (performance.now() - started) / 1000, "error");
      throw error;
    }
  }
}

/**
 * The transport with the active span's `traceparent` on every call, below the in-flight
 * deduplication and the signing: the header differs per call, so neither the dedup key nor the
 * cache's "only neutral headers" check ever sees it. Not tracing: the transport as it is.
 */
function traced(transport: Fetch): Fetch {
  if (!tracingEnabled()) return transport;
  return (url, init) => transport(url, { ...init, headers: injectTraceContext({ ...init?.headers }) });
}

/** "subgraph Type.field" of every field sent in the representations of an _entities call. */
function noteRepresentations(
  subgraph: string,
  variables: Record<string, unknown> | undefined,
  into: Set<string>,
) {
  const representations = variables?.representations;
  if (!Array.isArray(representations)) return;
  for (const representation of representations as Record<string, unknown>[]) {
    const type = typeof representation.__typename === "string" ? representation.__typename : "?";
    for (const field of Object.keys(representation))
      if (field !== "__typename") into.add(`${subgraph} ${type}.${field}`);
  }
}
