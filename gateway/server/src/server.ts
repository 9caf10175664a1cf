import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { createLogger, GATEWAY_JWKS_PATH, JWKS_PATH, type Db, type Logger } from "@onecert/subgraph-kit";
import type { GraphQLSchema } from "graphql";
import type { AddressInfo } from "node:net";
import { auditEndpoints, checkFiguresRoute, type CheckFiguresSource } from "./admin/audit-routes";
import { adminRoutes } from "./admin/routes";
import { subgraphClient } from "./hop/http-client";
import type { GatewayConfig } from "./config";
import { newTrace, type GatewayContext } from "./context";
import { registerConsoleRoutes, registerConsoleStatic, registerOidcRoutes, sessionGate } from "./console";
import { RegistryDataSource } from "./datasource";
import {
  createEdge,
  registerAdminRoutes,
  registerGraphQL,
  registerOpenApi,
  sendError,
  stateOf,
} from "./edge";
import { formatError } from "./format-error";
import { assemblePlugins } from "./plugins";
import { metricsPlugin, type Metrics } from "./plugins/metrics";
import { registerAuditMetrics } from "./plugins/audit/metrics";
import { registerSchedulerMetrics } from "./scheduler-metrics";
import { persistedQueryCache } from "./plugins/safelist";
import type { SubgraphStatus, SubgraphHealth } from "@onecert/schema-registry";
import { supergraphSubgraphs, supergraphManager } from "@onecert/schema-registry";
import { openServices, type GatewayServices, type JobSettings } from "./services";
import { GATEWAY_VERSION } from "./version";

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
  /**
   * Check every admin answer against the schema its route declares (a mismatch is a 500), so
   * the tests prove the OpenAPI document true. Default false: answers are sent as they are.
   */
  checkResponses?: boolean;
  /** Periods and lease of the scheduled jobs (tests run them in seconds). Default: see JobSettings. */
  jobs?: JobSettings;
  /**
   * The figures of matter checks and proofs issued, read from the gateway's database (where the
   * certificates service counts them); GET /admin/audit/checks answers them. Default: no route.
   */
  checkFigures?: (db: Db, from: Date, to: Date) => ReturnType<CheckFiguresSource>;
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
  /** The periodic jobs this gateway shares with the replicas on its database. */
  scheduler: GatewayServices["scheduler"];
  /** The live catalogue's generation this replica serves (it follows every publish within about 1 s). */
  catalogueGeneration(): number;
  /** Stops serving, waits for a scheduled job in progress, closes the services; once. */
  stop(): Promise<void>;
}

/** Starts the federation gateway: the plugins are assembled here from the validated config. */
export async function startGateway(config: GatewayConfig, deps: GatewayDeps = {}): Promise<RunningGateway> {
  const logger = deps.logger ?? createLogger("gateway");
  const services = await openServices(config, logger, deps.db, {
    withoutAudit: deps.withoutAudit,
    withoutHopSigning: deps.withoutHopSigning,
    jobs: deps.jobs,
  });
  const metrics = metricsPlugin();
  if (services.audit) registerAuditMetrics(metrics.registry, services.audit);
  registerSchedulerMetrics(metrics.registry, services.scheduler);
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
    services.setSchema(apiSchema, coreSupergraphSdl);
    // Health follows the subgraphs served: a department's new one joins, a removed one leaves.
    services.registry.health.track(
      supergraphSubgraphs(coreSupergraphSdl).map(({ name, url }) => ({
        name,
        url: config.subgraphUrls[name] ?? url,
      })),
    );
    loaded = true;
  });

  const { plugins, policy, tracing } = assemblePlugins(config, services, metrics);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Apollo's landing page loads Sandbox from a CDN that an intranet cannot reach; the bundled
    // GraphiQL is at /console/graphiql.
    plugins: [...plugins, ApolloServerPluginLandingPageDisabled()],
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
    await services.scheduler.start();
  } catch (error) {
    await apollo.stop().catch(() => undefined);
    await services.close();
    throw error;
  }
  const readiness = async () => {
    const statuses = await services.registry.health.probeAll();
    return {
      ready: loaded && statuses.every((status) => status.status === "up"),
      supergraphVersion: services.registry.servedVersion(),
      catalogueGeneration: services.catalogue.generation(),
      subgraphs: statuses,
    };
  };

  const app = await createEdge({
    maxBodyBytes: config.maxBodyBytes,
    trustedProxies: config.trustedProxies,
    maxEventLoopDelayMs: config.maxEventLoopDelayMs,
    checkResponses: deps.checkResponses,
    logger,
    audit: tracing && services.audit ? tracing.recorder(services.audit) : services.audit,
    tracing: tracing?.onRequest,
    authenticate: (headers) => services.authenticator.authenticate(headers),
    sessions: sessionGate(services.users),
    onBehalf: (client, assertion, purpose) => services.onBehalf.resolve(client, assertion, purpose),
  });
  await registerOpenApi(app, { version: GATEWAY_VERSION });
  const open = { config: { public: true } } as const;
  // Liveness and the keys others verify with are never shed: a loaded gateway is still alive.
  const unshed = { config: { public: true, pressureHandler: () => undefined } } as const;
  app.get("/health", { ...unshed, schema: { hide: true } }, async () => ({ status: "ok" }));
  for (const path of [JWKS_PATH, GATEWAY_JWKS_PATH]) {
    const keyring = path === JWKS_PATH ? services.proofKeys : services.hopKeys;
    app.get(path, { ...unshed, schema: { hide: true } }, async (_request, reply) => {
      const keys = (await keyring.published()).map((key) => key.publicJwk);
      return reply.header("cache-control", "public, max-age=60").send({ keys });
    });
  }
  app.get("/ready", { ...open, schema: { hide: true } }, async (request, reply) => {
    // Anyone may ask whether it is ready; only admins and auditors see why (subgraph URLs, errors).
    const detailed = services.authenticator.authenticate(request.headers).then(
      (client) => client.role === "admin" || client.role === "auditor",
      () => false,
    );
    const [state, details] = await Promise.all([readiness(), detailed]).catch(() => [null, false] as const);
    const status = state?.ready ? "ready" : "not ready";
    // A scheduler that cannot read its table says so as null: readiness is the subgraphs' matter.
    const jobs = state && details ? await services.scheduler.status().catch(() => null) : null;
    const body =
      state && details
        ? {
            status,
            supergraphLoaded: loaded,
            rateLimitDegraded: services.rateCounter.degraded,
            ...state,
            jobs,
          }
        : { status };
    return reply.code(state?.ready ? 200 : 503).send(body);
  });
  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    const client = stateOf(request).client!;
    if (client.role !== "admin" && client.role !== "auditor")
      return sendError(request, reply, 403, "FORBIDDEN", "metrics are for admin and auditor clients");
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  registerAdminRoutes(app, [
    ...adminRoutes(services),
    ...(services.audit ? auditEndpoints(services.audit, services.matters) : []),
    ...(deps.checkFigures
      ? [checkFiguresRoute((from, to) => deps.checkFigures!(services.db, from, to))]
      : []),
  ]);
  registerConsoleRoutes(app, services.users, services.rateCounter);
  registerConsoleStatic(app, { logger, dir: config.consoleDir });
  const { users, rateCounter: attempts, db } = services;
  await registerOidcRoutes(app, { oidc: config.oidc, users, attempts, db, logger });
  await registerGraphQL(app, apollo, async (request) => {
    const state = stateOf(request);
    const client = state.client!;
    return {
      requestId: request.id,
      log: logger.child({ requestId: request.id, client: client.id }),
      client,
      purpose: state.purpose,
      trace: newTrace(),
      audit: state.scope ?? undefined,
      onBehalf: state.onBehalf,
    };
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  const url = `http://${host}:${address.port}/graphql`;
  logger.info({ url }, "gateway listening");
  let stopping: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    metrics,
    access: { identity: services.identity, grants: services.grants, operations: services.operations },
    readiness,
    schema: () => services.schema(),
    audit: services.audit,
    scheduler: services.scheduler,
    catalogueGeneration: () => services.catalogue.generation(),
    stop() {
      stopping ??= (async () => {
        await app.close();
        await apollo.stop();
        for (const transport of transports) transport.close();
        await services.close();
      })();
      return stopping;
    },
  };
}
