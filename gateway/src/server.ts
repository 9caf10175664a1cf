import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import {
  closeServer,
  createLogger,
  formatError as formatRegistryError,
  listen,
  requestIdOf,
  sendJson,
  serveGraphQL,
  type Logger,
} from "@onecert/subgraph-kit";
import type { GraphQLFormattedError } from "graphql";
import { createServer } from "node:http";
import type { GatewayConfig } from "./config";
import type { GatewayContext } from "./context";
import { RegistryDataSource } from "./datasource";
import { inputValidationPlugin } from "./plugins/input-validation";
import { metricsPlugin, type Metrics } from "./plugins/metrics";
import { requestLogPlugin } from "./plugins/request-log";
import { probeSubgraph, type SubgraphStatus } from "./readiness";
import { supergraphManager } from "./supergraph";

export interface RunningGateway {
  url: string;
  port: number;
  metrics: Metrics;
  /** Probes every subgraph, as /ready does. */
  readiness(): Promise<{ ready: boolean; subgraphs: SubgraphStatus[] }>;
  stop(): Promise<void>;
}

/** Gateway errors carry a code and never the subgraph's raw HTTP response. */
function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const result = formatRegistryError(formatted, error);
  if (!result.extensions?.response) return result;
  const { response: _dropped, ...extensions } = result.extensions;
  return { ...result, extensions };
}

/** Starts the federation gateway: the plugins are assembled here from the validated config. */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger = createLogger("gateway"),
): Promise<RunningGateway> {
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
  gateway.onSchemaLoadOrUpdate(() => {
    loaded = true;
  });

  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    requestLogPlugin(),
    metrics.plugin,
    inputValidationPlugin() as ApolloServerPlugin<GatewayContext>,
  ];
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins,
    formatError,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();

  const readiness = async () => {
    const statuses = await Promise.all([...subgraphs].map(([name, url]) => probeSubgraph(name, url)));
    return { ready: loaded && statuses.every((status) => status.status === "up"), subgraphs: statuses };
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/health") return sendJson(res, 200, { status: "ok" });
    if (req.method === "GET" && path === "/ready") {
      readiness().then(
        (state) =>
          sendJson(res, state.ready ? 200 : 503, {
            status: state.ready ? "ready" : "not ready",
            supergraphLoaded: loaded,
            ...state,
          }),
        () => sendJson(res, 503, { status: "not ready" }),
      );
      return;
    }
    if (req.method === "GET" && path === "/metrics") {
      metrics.registry.metrics().then((text) => {
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        res.end(text);
      });
      return;
    }
    if (path !== "/graphql" && path !== "/") return sendJson(res, 404, { error: "not found" });
    const requestId = requestIdOf(req);
    const context = async (): Promise<GatewayContext> => ({ requestId, log: logger.child({ requestId }) });
    serveGraphQL(apollo, req, res, context, { "x-request-id": requestId }, config.maxBodyBytes).catch(
      (error: unknown) => {
        logger.error({ err: error, requestId }, "request failed");
        if (!res.headersSent) {
          sendJson(res, 500, {
            errors: [{ message: "internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
          });
        } else res.end();
      },
    );
  });
  const address = await listen(server, config.port, config.host);
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  const url = `http://${host}:${address.port}/graphql`;
  logger.info({ url }, "gateway listening");
  return {
    url,
    port: address.port,
    metrics,
    readiness,
    async stop() {
      await closeServer(server);
      await apollo.stop();
    },
  };
}
