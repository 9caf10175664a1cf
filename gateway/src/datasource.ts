import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { GraphQLError } from "graphql";
import type { GatewayContext } from "./context";

/** Called after every subgraph fetch, for metrics. */
export type FetchObserver = (subgraph: string, seconds: number, outcome: "ok" | "error") => void;

export interface RegistryDataSourceOptions {
  name: string;
  url: string;
  /** Abort a subgraph call after this many milliseconds. Default 5000. */
  timeoutMs?: number;
  onFetch?: FetchObserver;
}

/**
 * All subgraph I/O: forwards the request id, bounds each call by a timeout, and turns a
 * transport failure into an error that names the registry, so the rest of the plan still runs
 * and the caller gets partial data instead of a failed request.
 */
export class RegistryDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  private readonly onFetch?: FetchObserver;

  constructor(options: RegistryDataSourceOptions) {
    const timeoutMs = options.timeoutMs ?? 5000;
    super({
      url: options.url,
      fetcher: ((input: string, init?: RequestInit) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never,
    });
    this.name = options.name;
    this.onFetch = options.onFetch;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context?.requestId) request.http?.headers.set("x-request-id", context.requestId);
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    options.context?.trace?.subgraphs.add(this.name);
    try {
      const response = await super.process(options);
      this.onFetch?.(this.name, (performance.now() - started) / 1000, response.errors ? "error" : "ok");
      return response;
    } catch (error) {
      this.onFetch?.(this.name, (performance.now() - started) / 1000, "error");
      if (error instanceof GraphQLError && error.extensions.code !== undefined) throw error;
      const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable";
      options.context?.log?.warn({ subgraph: this.name, err: error }, "subgraph call failed");
      throw new GraphQLError(`The ${this.name} registry is unavailable (${reason}); its fields are null.`, {
        extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName: this.name },
      });
    }
  }
}
