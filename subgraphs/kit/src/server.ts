import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import type { Db } from "./db";
import { migrate } from "./db";
import { formatError } from "./errors";
import { memoryBus, startOutboxRelay, type InvalidationBus } from "./events";
import {
  createAccessLog,
  createHopVerifier,
  memoryReplayGuard,
  serveVerified,
  type HopKeySource,
  type HopVerifier,
  type ReplayGuard,
} from "./hop";
import { requestIdOf, sendJson } from "./http";
import { createLogger, type Logger } from "./logger";
import type { RegistryContext, RegistryDefinition } from "./registry";
import { serveTraced } from "./tracing";

export interface StartRegistryOptions {
  definition: RegistryDefinition;
  db: Db;
  /** Port to listen on; 0 picks a free one. Default: the registry's defaultPort. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  logger?: Logger;
  /** Where the outbox relay publishes this registry's invalidation events. Default: the memory bus. */
  bus?: InvalidationBus;
  /** Only the gateway's signed requests are served: its keys, and where assertion ids are remembered. */
  trust: SubgraphTrust;
  /** Serve HTTPS (and, with `ca`, require a client certificate it signs: mutual TLS). Default plain HTTP. */
  tls?: SubgraphServerTls;
  /**
   * Serve as a bare subgraph: no assertion verified, nothing logged. Only for the benchmark's
   * baselines (a plain gateway, and the hop's cost side by side); no configuration reaches it.
   * Default false.
   */
  benchmarkBaselineWithoutHop?: boolean;
}

/** Whom a subgraph believes: the gateway's keys and issuer, and its replay memory. */
export interface SubgraphTrust {
  /** The gateway's public hop keys (GATEWAY_JWKS_URL or GATEWAY_JWKS_FILE). */
  keys: HopKeySource;
  /** Default: this process's memory. With Redis, every replica's (redisReplayGuard). */
  replay?: ReplayGuard;
  /** Default "onecert-gateway" (HOP_ISSUER). */
  issuer?: string;
}

/** A subgraph's server certificate, and the CA of the client certificates it requires. */
export interface SubgraphServerTls {
  cert: string;
  key: string;
  /** With it, only clients with a certificate this CA signed connect (the gateway's). */
  ca?: string;
}

export interface RunningService {
  name: string;
  url: string;
  port: number;
  /** Stops accepting requests, finishes those in flight, then resolves. */
  stop(): Promise<void>;
}

/** Listens on `port` and resolves with the bound address. */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Closes a server, cutting idle keep-alive sockets so shutdown does not wait for them. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** The benchmark baseline's stand-in for the verifier: every request is an anonymous caller's. */
const unverified = (issuer: string): HopVerifier => ({
  verify: () =>
    Promise.resolve({
      id: randomUUID(),
      issuer,
      requestId: "",
      client: null,
      operatorId: null,
      matterCode: null,
      caseNumber: null,
      expiresAt: new Date(),
      token: "",
    }),
});

/** Migrates the registry's schema and serves it as a Federation 2 subgraph at /graphql. */
export async function startRegistry(options: StartRegistryOptions): Promise<RunningService> {
  const { definition, db } = options;
  const log = options.logger ?? createLogger(definition.name);
  await migrate(db, definition.dbSchema, definition.migrations);
  const { schema } = await definition.buildSchema();
  const apollo = new ApolloServer<RegistryContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Federated traces go to Apollo's hosted studio, which a government network does not use.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    // The command that started the server stops it; Apollo's own handler would kill the process mid-stop.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const replay = options.trust.replay ?? memoryReplayGuard();
  const serving = {
    apollo,
    verifier: options.benchmarkBaselineWithoutHop
      ? unverified(definition.name)
      : createHopVerifier({
          audience: definition.name,
          keys: options.trust.keys,
          replay,
          issuer: options.trust.issuer,
        }),
    accessLog: options.benchmarkBaselineWithoutHop
      ? { record: () => Promise.resolve(), close: () => Promise.resolve() }
      : createAccessLog(db, definition.dbSchema, log),
    log,
    context: async (hop: RegistryContext["hop"], requestId: string): Promise<RegistryContext> => {
      const announced: RegistryContext["announced"] = [];
      return {
        db,
        loaders: definition.createLoaders(db),
        requestId,
        hop,
        log: log.child({ requestId, assertion: hop.id, client: hop.client?.id }),
        announced,
        announce: (events) => announced.push(...events),
      };
    },
    // The gateway drops what a mutation made stale before it answers, from these.
    extensions: (context: RegistryContext) =>
      context.announced.length > 0 ? { invalidations: context.announced } : undefined,
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    // Liveness stays open; everything else must come from the gateway.
    if (path === "/health") return sendJson(res, 200, { status: "ok", service: definition.name });
    if (path !== "/graphql" && path !== "/") return sendJson(res, 404, { error: "not found" });
    const requestId = requestIdOf(req);
    serveTraced(`onecert-${definition.name}`, "/graphql", req, res, () => {
      serveVerified(serving, req, res, requestId).catch((error: unknown) => {
        log.error({ err: error, requestId }, "request failed");
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "internal error" }] });
        else res.end();
      });
    });
  };
  const server = options.tls
    ? createTlsServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          ca: options.tls.ca,
          requestCert: !!options.tls.ca,
          rejectUnauthorized: !!options.tls.ca,
        },
        handler,
      )
    : createServer(handler);
  const address = await listen(server, options.port ?? definition.defaultPort, options.host ?? "127.0.0.1");
  const url = `${options.tls ? "https" : "http"}://${formatHost(address)}:${address.port}/graphql`;
  log.info({ url }, "registry subgraph listening");
  const bus = options.bus ?? memoryBus({ logger: log });
  const relay = startOutboxRelay({
    db,
    schema: definition.dbSchema,
    source: definition.name,
    bus,
    logger: log,
  });
  return {
    name: definition.name,
    url,
    port: address.port,
    async stop() {
      await closeServer(server);
      await apollo.stop();
      await relay.stop();
      await serving.accessLog.close();
      await replay.close();
      if (!options.bus) await bus.close();
    },
  };
}

function formatHost(address: AddressInfo): string {
  if (address.address === "0.0.0.0" || address.address === "::") return "127.0.0.1";
  return address.family === "IPv6" ? `[${address.address}]` : address.address;
}
