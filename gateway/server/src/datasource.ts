import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { GraphQLError } from "graphql";
import type { EntityCache } from "./cache/entity-cache";
import { dedupingFetcher, type Fetch } from "./cache/inflight";
import { canonicalJson, digest } from "./cache/keys";
import { callerHeadersOf } from "./hop/forward";
import { CHECK_TOKEN_HEADER, type ChecksInFlight } from "./hop/in-flight";
import type { GatewayContext } from "./context";

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
  /** A trusted internal subgraph (config trustedSubgraphs): it gets the caller's credential and purpose. Default false. */
  forwardCaller?: boolean;
  /** Sees every answer the subgraph sends (e.g. the certificates it reports checked). Default none. */
  onResponse?: (response: GatewayGraphQLResponse, context: GatewayContext | undefined) => void;
  /** With forwardCaller: where the calls in flight are noted, so their data requests count once. Default none. */
  checks?: ChecksInFlight;
  /**
   * How a call reaches the subgraph. Default the global fetch, aborted after timeoutMs; the
   * in-memory test gateway answers in process instead, through the same path otherwise.
   */
  fetch?: Fetch;
}

/** Headers the cache does not key on: the same on every fetch, or per request and never read by a subgraph for data. */
const NEUTRAL_HEADERS = new Set(["content-type", "x-request-id", CHECK_TOKEN_HEADER]);

/**
 * All subgraph I/O: forwards the request id, bounds each call by a timeout, sends identical
 * queries in flight at the same moment once, serves what it can from the entity cache, and turns
 * a transport failure into an error that names the registry, so the rest of the plan still runs
 * and the caller gets partial data instead of a failed request.
 */
export class RegistryDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  private readonly onFetch?: FetchObserver;
  private readonly cache?: EntityCache;
  private readonly forwardCaller: boolean;
  private readonly onResponse?: RegistryDataSourceOptions["onResponse"];
  private readonly checks?: ChecksInFlight;
  // The token of each request to a trusted subgraph: its headers are only built inside process().
  private readonly checkTokens = new WeakMap<object, string>();
  private warnedHeaders = false;

  constructor(options: RegistryDataSourceOptions) {
    const timeoutMs = options.timeoutMs ?? 5000;
    super({
      url: options.url,
      fetcher: dedupingFetcher(
        options.fetch ??
          ((input, init) =>
            fetch(input, { ...(init as RequestInit), signal: AbortSignal.timeout(timeoutMs) })),
      ),
    });
    this.name = options.name;
    this.onFetch = options.onFetch;
    this.cache = options.cache;
    this.forwardCaller = options.forwardCaller ?? false;
    this.onResponse = options.onResponse;
    this.checks = options.forwardCaller ? options.checks : undefined;
    // The gateway derives cache-control from the supergraph's hints (plugins/cache), not from subgraph headers.
    this.honorSubgraphCacheControlHeader = false;
  }

  /**
   * Headers sent to this subgraph on the caller's behalf, besides x-request-id. Add forwarded
   * headers here rather than in willSendRequest: the entity cache keys on them, so an answer that
   * depends on them is never served to another caller. Default none; a trusted subgraph gets the
   * caller's credential and purpose.
   */
  protected callerHeaders(context: GatewayContext | undefined): Record<string, string> {
    return this.forwardCaller && context?.purpose ? callerHeadersOf(context) : {};
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const { request } = options;
    const context = options.context as GatewayContext | undefined;
    if (context?.requestId) request.http?.headers.set("x-request-id", context.requestId);
    for (const [name, value] of Object.entries(this.callerHeaders(context)))
      request.http?.headers.set(name, value);
    const token = this.checkTokens.get(request);
    if (token) request.http?.headers.set(CHECK_TOKEN_HEADER, token);
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    // Health checks and schema loads carry a plain object, not a GatewayContext.
    const context = options.context as GatewayContext | undefined;
    context?.trace?.subgraphs.add(this.name);
    try {
      const client = context?.client;
      // Health checks and schema loading carry no caller and are never cached.
      if (!this.cache || !client || !("incomingRequestContext" in options)) {
        return (await this.send(options)).response;
      }
      const expected = this.callerHeaders(context);
      const caller = {
        clientId: client.id,
        variant: digest(canonicalJson(expected)),
        context,
        trace: context.trace,
      };
      return await this.cache.fetch(this.name, options.request, caller, (request) =>
        this.send({ ...options, request }, expected),
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
   * One call to the subgraph. `storable` says whether the headers actually sent are exactly the
   * caller headers the cache keyed on; if something else added a header, nothing is stored.
   */
  private async send(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    expected?: Record<string, string>,
  ) {
    const started = performance.now();
    const context = options.context as GatewayContext | undefined;
    const client = context?.client;
    // A check's token: its data request, coming back as the caller, is then counted once.
    const check = client ? this.checks?.begin(client.id) : undefined;
    if (check) this.checkTokens.set(options.request, check.token);
    try {
      const response = await super.process(options);
      this.onFetch?.(this.name, (performance.now() - started) / 1000, response.errors ? "error" : "ok");
      this.onResponse?.(response, context);
      const storable = expected !== undefined && this.sentOnly(options, expected);
      return { response, storable };
    } catch (error) {
      this.onFetch?.(this.name, (performance.now() - started) / 1000, "error");
      throw error;
    } finally {
      check?.done();
    }
  }

  private sentOnly(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    expected: Record<string, string>,
  ) {
    const sent: Record<string, string> = {};
    for (const [name, value] of options.request.http?.headers ?? []) {
      if (!NEUTRAL_HEADERS.has(name.toLowerCase())) sent[name.toLowerCase()] = value;
    }
    const wanted = Object.fromEntries(
      Object.entries(expected).map(([name, value]) => [name.toLowerCase(), value]),
    );
    if (canonicalJson(sent) === canonicalJson(wanted)) return true;
    if (!this.warnedHeaders) {
      this.warnedHeaders = true;
      (options.context as GatewayContext | undefined)?.log?.warn(
        { subgraph: this.name },
        "headers are sent that callerHeaders() does not declare; this subgraph's answers are not cached",
      );
    }
    return false;
  }
}
