import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import {
  closeServer,
  createLogger,
  listen,
  requestIdOf,
  sendJson,
  serveGraphQL,
  type Db,
  type Logger,
} from "@onecert/subgraph-kit";
import type { GraphQLSchema } from "graphql";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { AuthenticationError, purposeOf } from "@onecert/access";
import type { AuthenticatedClient } from "@onecert/access";
import { createAuditApi } from "./admin/audit-routes";
import { adminRoutes } from "./admin/routes";
import { createAdminHandler } from "./admin";
import {
  GATEWAY_JWKS_PATH,
  headerValue,
  JWKS_PATH,
  ON_BEHALF_HEADER,
  serveJwks,
} from "@onecert/subgraph-kit";
import { subgraphClient } from "./hop/http-client";
import type { OnBehalf } from "./hop/on-behalf";
import { auditResponse, type AuditScope } from "@onecert/audit";
import type { GatewayConfig } from "./config";
import { newTrace, type GatewayContext } from "./context";
import { RegistryDataSource } from "./datasource";
import { answerEdgeRefusals } from "./edge-refusals";
import { formatError } from "./format-error";
import { assemblePlugins } from "./plugins";
import { metricsPlugin, type Metrics } from "./plugins/metrics";
import { registerAuditMetrics } from "./plugins/audit/metrics";
import { persistedQueryCache } from "./plugins/safelist";
import type { SubgraphStatus, SubgraphHealth } from "@onecert/schema-registry";
import { supergraphSubgraphs, supergraphManager } from "@onecert/schema-registry";
import { openServices, type GatewayServices } from "./services";

export interface GatewayDeps {
  logger?: Logger;
  /** The gateway's own database; opened from the config when absent (and then closed on stop). */
  db?: Db;
  /**
   * Benchmarks only: run without the audit trail, to measure its cost side by side. No
   * environment variable or configuration reaches this; a served gateway always audits.
   */
  withoutAudit?: boolean;
  /**
   * Send subgraph calls unsigned: only for the benchmark's comparison of the hop's cost, against
   * subgraphs that verify nothing. No configuration reaches it. Default false.
   */
  withoutHopSigning?: boolean;
}

export interface RunningGateway {
  url: string;
  port: number;
  metrics: Metrics;
  /** The stores behind the admin API, for the CLI's direct mode and for tests. */
  access: Pick<GatewayServices, "identity" | "grants" | "operations">;
  /** Probes every subgraph, as /ready does. */
  readiness(): Promise<{ ready: boolean; subgraphs: (SubgraphStatus & Partial<SubgraphHealth>)[] }>;
  /** The API schema clients see, once the supergraph is loaded. */
  schema(): GraphQLSchema | undefined;
  /** The audit trail (its store, checkpoints, retention); null only with `withoutAudit`. */
  audit: GatewayServices["audit"];
  stop(): Promise<void>;
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
  const services = await openServices(config, logger, deps.db, {
    withoutAudit: deps.withoutAudit,
    withoutHopSigning: deps.withoutHopSigning,
  });
  const metrics = metricsPlugin();
  if (services.audit) registerAuditMetrics(metrics.registry, services.audit);
  let loaded = false;
  const source = config.supergraph;

  const transports: { close(): void }[] = [];
  const gateway = new ApolloGateway({
    experimental_approximateQueryPlanStoreMiB: config.cache.queryPlanCacheBytes / 2 ** 20,
    supergraphSdl:
      source.kind === "registry"
        ? services.registry.manager({ supergraphPath: source.path })
        : supergraphManager(source),
    logger,
    buildService({ name, url }) {
      const effective = config.subgraphUrls[name] ?? url;
      if (!effective) throw new Error(`no URL for subgraph ${name}`);
      // A trusted service (certificates) makes a whole request of its own back through the gateway.
      const timeoutMs = config.trustedSubgraphs.includes(name)
        ? config.subgraphTimeoutMs * 3
        : config.subgraphTimeoutMs;
      const transport = subgraphClient({ timeoutMs, tls: config.hop.tls });
      transports.push(transport);
      return new RegistryDataSource({
        name,
        url: effective,
        timeoutMs,
        onFetch: metrics.observeFetch,
        cache: config.cache.enabled ? services.cache.entities : undefined,
        hop: services.hop,
        fetch: transport,
        onInvalidations: config.cache.enabled
          ? async (subgraph, events) => {
              for (const event of events)
                await services.cache.invalidator.apply(event, event.id).catch((error: unknown) => {
                  logger.warn(
                    { err: error, subgraph, type: event.type },
                    "cache invalidation after a mutation failed",
                  );
                });
            }
          : undefined,
      });
    },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    services.setSchema(apiSchema);
    // Health follows the subgraphs served: a department's new one joins, a removed one leaves.
    services.registry.health.track(
      supergraphSubgraphs(coreSupergraphSdl).map(({ name, url }) => ({
        name,
        url: config.subgraphUrls[name] ?? url,
      })),
    );
    loaded = true;
  });

  const { plugins, policy } = assemblePlugins(config, services, metrics);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins,
    formatError,
    introspection: config.introspection,
    hideSchemaDetailsFromClientErrors: !config.fieldSuggestions,
    includeStacktraceInErrorResponses: false,
    persistedQueries: { cache: persistedQueryCache(services.operations, services.cache.apq) },
    // The command that started the gateway stops it; Apollo's own handler would kill the process mid-stop.
    stopOnTerminationSignals: false,
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
  const auditApi =
    services.audit &&
    createAuditApi(services.audit, services.matters, (error, requestId) =>
      logger.error({ err: error, requestId }, "audit API request failed"),
    );

  const readiness = async () => {
    const statuses = await services.registry.health.probeAll();
    return {
      ready: loaded && statuses.every((status) => status.status === "up"),
      supergraphVersion: services.registry.servedVersion(),
      subgraphs: statuses,
    };
  };

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    requestId: string,
    scope: AuditScope | null,
  ) {
    let client: AuthenticatedClient;
    let purpose = purposeOf(req.headers);
    let onBehalf: OnBehalf | undefined;
    try {
      client = await services.authenticator.authenticate(req.headers);
      // A trusted service calling back for the request the gateway sent it acts as that request's client.
      const assertion = headerValue(req.headers, ON_BEHALF_HEADER);
      if (assertion)
        ({ client, purpose, onBehalf } = await services.onBehalf.resolve(client, assertion, purpose));
    } catch (error) {
      if (error instanceof AuthenticationError) return unauthenticated(res, error.message, requestId);
      // The credential store did not answer (a database outage): the caller may try again.
      logger.error({ err: error, requestId }, "authentication failed: the credential store is unavailable");
      return sendJson(
        res,
        503,
        {
          errors: [
            {
              message: "credentials cannot be checked right now; try again shortly",
              extensions: { code: "AUTHENTICATION_UNAVAILABLE" },
            },
          ],
        },
        { "retry-after": "5", "x-request-id": requestId },
      );
    }
    if (scope) scope.client = client;
    if (auditApi && path.startsWith("/admin/audit/")) return auditApi(req, res, client, requestId, scope);
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
      purpose,
      trace: newTrace(),
      audit: scope ?? undefined,
      onBehalf,
    });
    return serveGraphQL(apollo, req, res, context, { "x-request-id": requestId }, config.maxBodyBytes);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/health") return sendJson(res, 200, { status: "ok" });
    if (req.method === "GET" && (path === JWKS_PATH || path === GATEWAY_JWKS_PATH)) {
      const keyring = path === JWKS_PATH ? services.proofKeys : services.hopKeys;
      serveJwks(keyring, res).catch((error: unknown) => {
        logger.error({ err: error }, "JWKS request failed");
        sendJson(res, 503, { error: { code: "UNAVAILABLE", message: "signing keys are unavailable" } });
      });
      return;
    }
    if (req.method === "GET" && path === "/ready") {
      // Anyone may ask whether it is ready; only admins and auditors see why (subgraph URLs, errors).
      const detailed = services.authenticator.authenticate(req.headers).then(
        (client) => client.role === "admin" || client.role === "auditor",
        () => false,
      );
      Promise.all([readiness(), detailed]).then(
        ([state, details]) => {
          const status = state.ready ? "ready" : "not ready";
          const body = details
            ? { status, supergraphLoaded: loaded, rateLimitDegraded: services.rateCounter.degraded, ...state }
            : { status };
          sendJson(res, state.ready ? 200 : 503, body);
        },
        () => sendJson(res, 503, { status: "not ready" }),
      );
      return;
    }
    const requestId = requestIdOf(req);
    // Every other request is recorded; its response is held until the record is durable.
    const scope = services.audit ? auditResponse(services.audit, req, res, requestId) : null;
    handle(req, res, path, requestId, scope).catch((error: unknown) => {
      logger.error({ err: error, requestId }, "request failed");
      if (!res.headersSent) {
        sendJson(res, 500, {
          errors: [{ message: "internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
        });
      } else res.end();
    });
  });
  answerEdgeRefusals(server, services.audit, logger);
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
    audit: services.audit,
    async stop() {
      await closeServer(server);
      await apollo.stop();
      for (const transport of transports) transport.close();
      await services.close();
    },
  };
}
