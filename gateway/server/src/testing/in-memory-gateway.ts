import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import {
  loadMaskingRules,
  type AuthenticatedClient,
  type MaskingRules,
  type MatterCatalogue,
} from "@onecert/access";
import { readAuditConfig, type AuditEntry, type AuditRecorder, type AuditScope } from "@onecert/audit";
import { composeSupergraph } from "@onecert/schema-registry";
import { createLogger, memoryBus, SCHEMA_DIR } from "@onecert/subgraph-kit";
import { openGatewayCache, type CacheConfig, type GatewayCache } from "../cache";
import { loadGatewayConfig, type GatewayConfig } from "../config";
import { newTrace, type GatewayContext, type RequestTrace } from "../context";
import { RegistryDataSource } from "../datasource";
import { formatError } from "../format-error";
import { MemoryRateCounter } from "../infra";
import { assemblePlugins } from "../plugins";
import { metricsPlugin } from "../plugins/metrics";
import { TEST_MATTER, TestGrants, testMatters, WINDOW } from "./access";
import {
  answerInProcess,
  buildRegistries,
  defaultData,
  REGISTRY_DEPARTMENTS,
  type RegistryData,
  type RegistryName,
  type SubgraphCall,
} from "./registries";

export type { SubgraphCall } from "./registries";

export interface InMemoryGatewayOptions {
  /** Default schema/masking.yaml, the rules the gateway ships with. */
  masking?: MaskingRules;
  /** Default TEST_MATTER and OTHER_MATTER (testMatters()). */
  matters?: MatterCatalogue;
  /** Over the defaults of an empty environment; the x-cache header is on. */
  cache?: Partial<CacheConfig>;
  config?: Partial<Pick<GatewayConfig, "shareDefault" | "limits">>;
  /** Rearranges the assembled plugins, to show that a plugin does not rely on their order. */
  order?: (plugins: ApolloServerPlugin<GatewayContext>[]) => ApolloServerPlugin<GatewayContext>[];
}

/** One GraphQL request as the HTTP edge would hand it on: who asks (default a window) and why. */
export interface TestRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Default WINDOW, a window of the service centre; null for an unauthenticated request. */
  client?: AuthenticatedClient | null;
  /** x-matter-code; default TEST_MATTER. */
  matter?: string | null;
  /** x-operator-id; default "clerk-1". */
  operator?: string | null;
  /** The request's audit record in the making, as server.ts passes it. */
  audit?: AuditScope;
}

export interface TestReply<T = Record<string, unknown>> {
  status: number;
  headers: HeaderMap;
  /** The body as it would be sent. */
  text: string;
  data?: T | null;
  errors?: (GraphQLFormattedError & { extensions?: Record<string, unknown> })[];
  trace: RequestTrace;
}

export interface InMemoryGateway {
  apollo: ApolloServer<GatewayContext>;
  /** The registries' data; change it (or `failing`) between requests. */
  data: RegistryData;
  grants: TestGrants;
  cache: GatewayCache;
  /** Every registry call since start, in order. */
  calls: SubgraphCall[];
  /** Records kept by the in-memory audit trail (through auditResponse). */
  audit: AuditRecorder & { entries: AuditEntry[] };
  run<T = Record<string, unknown>>(request: TestRequest): Promise<TestReply<T>>;
  stop(): Promise<void>;
}

/**
 * The gateway with the plugins the server assembles (plugins/index.ts), over two registries
 * answered in process: the data source is the server's RegistryDataSource (entity cache, in-flight
 * deduplication, headers) with a fetch that executes the registry's schema instead of going to
 * the network. Stores are in memory; no port is opened, no database or Redis is used.
 */
export async function startInMemoryGateway(options: InMemoryGatewayOptions = {}): Promise<InMemoryGateway> {
  const logger = createLogger("in-memory-gateway");
  const defaults = loadGatewayConfig({});
  const config = { ...defaults, ...options.config };
  const cacheConfig: CacheConfig = { ...defaults.cache, debugHeader: true, ...options.cache };
  const data = defaultData();
  const registries = buildRegistries(data);
  const calls: SubgraphCall[] = [];
  // A channel of its own: the in-process bus is shared by every gateway of the test process.
  const bus = memoryBus({ channel: `onecert:test:${randomUUID()}` });
  const cache = openGatewayCache(cacheConfig, { logger, bus });
  const grants = new TestGrants();
  const entries: AuditEntry[] = [];
  const audit = {
    config: readAuditConfig({}, []),
    entries,
    record: async (entry: AuditEntry) => void entries.push(entry),
  };

  const metrics = metricsPlugin({ processMetrics: false });
  const gateway = new ApolloGateway({
    supergraphSdl: composeSupergraph(
      Object.entries(registries).map(([name, { sdl }]) => ({
        name,
        url: `http://${name}.test/graphql`,
        sdl,
      })),
    ),
    logger,
    buildService: ({ name, url }) =>
      new RegistryDataSource({
        name,
        url: url!,
        onFetch: metrics.observeFetch,
        cache: cacheConfig.enabled ? cache.entities : undefined,
        fetch: answerInProcess(name as RegistryName, registries[name as RegistryName].schema, calls),
      }),
  });
  const { plugins } = assemblePlugins(
    config,
    {
      grants,
      matters: options.matters ?? testMatters(),
      masking: options.masking ?? loadMaskingRules(resolve(SCHEMA_DIR, "masking.yaml")),
      operations: { get: async () => null },
      rateCounter: new MemoryRateCounter(),
      usage: { record: () => undefined },
      cache,
      registry: { departmentOf: (name) => REGISTRY_DEPARTMENTS[name as RegistryName] },
      audit,
    },
    metrics,
  );
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: options.order ? options.order(plugins) : plugins,
    formatError,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  let requests = 0;
  async function run<T>(request: TestRequest): Promise<TestReply<T>> {
    const { query, variables, operationName } = request;
    const client = request.client === undefined ? WINDOW : request.client;
    const contextValue: GatewayContext = {
      requestId: `req-${++requests}`,
      log: logger,
      client,
      purpose: {
        operatorId: request.operator === undefined ? "clerk-1" : request.operator,
        matterCode: request.matter === undefined ? TEST_MATTER : request.matter,
        caseNumber: null,
      },
      trace: newTrace(),
      audit: request.audit,
    };
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: "POST",
        headers: new HeaderMap([["content-type", "application/json"]]),
        search: "",
        // Through JSON, as a body arrives: absent members are left out rather than undefined.
        body: JSON.parse(JSON.stringify({ query, variables, operationName })) as unknown,
      },
      context: async () => contextValue,
    });
    if (response.body.kind !== "complete") throw new Error("expected a complete response");
    const text = response.body.string;
    const body = JSON.parse(text) as Pick<TestReply<T>, "data" | "errors">;
    return {
      status: response.status ?? 200,
      headers: response.headers,
      text,
      ...body,
      trace: contextValue.trace,
    };
  }

  return {
    apollo,
    data,
    grants,
    cache,
    calls,
    audit,
    run,
    async stop() {
      await apollo.stop();
      await cache.close();
      await bus.close();
    },
  };
}
