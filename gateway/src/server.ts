import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import {
  closeServer,
  createLogger,
  formatError as formatRegistryError,
  listen,
  requestIdOf,
  sendJson,
  serveGraphQL,
  type Db,
  type Logger,
} from "@onecert/subgraph-kit";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { AuthenticationError } from "./access/identity";
import { purposeOf } from "./access/purpose";
import type { AuthenticatedClient } from "./access/types";
import { adminRoutes } from "./admin/routes";
import { createAdminHandler } from "./admin";
import type { GatewayConfig } from "./config";
import { newTrace, type GatewayContext } from "./context";
import { RegistryDataSource } from "./datasource";
import { assemblePlugins } from "./plugins";
import { metricsPlugin, type Metrics } from "./plugins/metrics";
import { persistedQueryCache } from "./plugins/safelist";
import { probeSubgraph, type SubgraphStatus } from "./readiness";
import { openServices, type GatewayServices } from "./services";
import { supergraphManager } from "./supergraph";

export interface GatewayDeps {
  logger?: Logger;
  /** The gateway's own database; opened from the config when absent (and then closed on stop). */
  db?: Db;
}

export interface RunningGateway {
  url: string;
  port: number;
  metrics: Metrics;
  /** The stores behind the admin API, for the CLI's direct mode and for tests. */
  access: Pick<GatewayServices, "identity" | "grants" | "operations">;
  /** Probes every subgraph, as /ready does. */
  readiness(): Promise<{ ready: boolean; subgraphs: SubgraphStatus[] }>;
  /** The API schema clients see, once the supergraph is loaded. */
  schema(): GraphQLSchema | undefined;
  stop(): Promise<void>;
}

/** Gateway errors carry a code and never the subgraph's raw HTTP response. */
function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const result = formatRegistryError(formatted, error);
  if (!result.extensions?.response) return result;
  const { response: _dropped, ...extensions } = result.extensions;
  return { ...result, extensions };
}

const unauthenticated = (res: ServerResponse, message: string, requestId: string) =>
  sendJson(
    res,
    401,
    { errors: [{ message, extensions: { code: "UNAUTHENTICATED" } }] },
    {
      "www-authenticate": 'Bearer realm="onecert"',
      "x-request-id": requestId,
    },
  );

/** Starts the federation gateway: the plugins are assembled here from the validated config. */
export async function startGateway(config: GatewayConfig, deps: GatewayDeps = {}): Promise<RunningGateway> {
  const logger = deps.logger ?? createLogger("gateway");
  const services = await openServices(config, logger, deps.db);
  const metrics = metricsPlugin();
  const subgraphs = new Map<string, string>();
  let loaded = false;

  const gateway = new ApolloGateway({
    supergraphSdl: supergraphManager(config.supergraph),
    logger,
    buildService({ name, url }) {
      const effective = config.subgraphUrls[name] ?? url;
      if (!effective) throw new Error(`no URL for subgraph ${name}`);
      subgraphs.set(name, effective);
      return new RegistryDataSource({
        name,
        url: effective,
        timeoutMs: config.subgraphTimeoutMs,
        onFetch: metrics.observeFetch,
      });
    },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    services.setSchema(apiSchema);
    loaded = true;
  });

  const { plugins, policy } = assemblePlugins(config, services, metrics);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins,
    formatError,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    persistedQueries: { cache: persistedQueryCache(services.operations) },
  });
  try {
    await apollo.start();
    const problems = policy.problems();
    if (problems.length > 0)
      throw new Error(`the matter catalogue does not fit the supergraph:\n  ${problems.join("\n  ")}`);
  } catch (error) {
    await apollo.stop().catch(() => undefined);
    await services.close();
    throw error;
  }
  const admin = createAdminHandler(adminRoutes(services), {
    onError: (error, requestId) => logger.error({ err: error, requestId }, "admin request failed"),
  });

  const readiness = async () => {
    const statuses = await Promise.all([...subgraphs].map(([name, url]) => probeSubgraph(name, url)));
    return { ready: loaded && statuses.every((status) => status.status === "up"), subgraphs: statuses };
  };

  async function handle(req: IncomingMessage, res: ServerResponse, path: string, requestId: string) {
    let client: AuthenticatedClient;
    try {
      client = await services.authenticator.authenticate(req.headers);
    } catch (error) {
      if (error instanceof AuthenticationError) return unauthenticated(res, error.message, requestId);
      throw error;
    }
    if (path.startsWith("/admin/")) return admin(req, res, client, requestId);
    if (req.method === "GET" && path === "/metrics") {
      if (client.role !== "admin" && client.role !== "auditor") {
        return sendJson(res, 403, {
          error: { code: "FORBIDDEN", message: "metrics are for admin and auditor clients" },
        });
      }
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      return res.end(await metrics.registry.metrics());
    }
    if (path !== "/graphql" && path !== "/")
      return sendJson(res, 404, { error: { code: "NOT_FOUND", message: "not found" } });
    const context = async (): Promise<GatewayContext> => ({
      requestId,
      log: logger.child({ requestId, client: client.id }),
      client,
      purpose: purposeOf(req.headers),
      trace: newTrace(),
    });
    return serveGraphQL(apollo, req, res, context, { "x-request-id": requestId }, config.maxBodyBytes);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method === "GET" && path === "/health") return sendJson(res, 200, { status: "ok" });
    if (req.method === "GET" && path === "/ready") {
      readiness().then(
        (state) =>
          sendJson(res, state.ready ? 200 : 503, {
            status: state.ready ? "ready" : "not ready",
            supergraphLoaded: loaded,
            rateLimitDegraded: services.rateCounter.degraded,
            ...state,
          }),
        () => sendJson(res, 503, { status: "not ready" }),
      );
      return;
    }
    const requestId = requestIdOf(req);
    handle(req, res, path, requestId).catch((error: unknown) => {
      logger.error({ err: error, requestId }, "request failed");
      if (!res.headersSent) {
        sendJson(res, 500, {
          errors: [{ message: "internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
        });
      } else res.end();
    });
  });
  const address = await listen(server, config.port, config.host);
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  const url = `http://${host}:${address.port}/graphql`;
  logger.info({ url }, "gateway listening");
  return {
    url,
    port: address.port,
    metrics,
    access: { identity: services.identity, grants: services.grants, operations: services.operations },
    readiness,
    schema: () => services.schema(),
    async stop() {
      await closeServer(server);
      await apollo.stop();
      await services.close();
    },
  };
}
