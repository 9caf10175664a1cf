import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "./db";
import { migrate } from "./db";
import { formatError } from "./errors";
import { memoryBus, startOutboxRelay, type InvalidationBus } from "./events";
import { requestIdOf, sendJson, serveGraphQL } from "./http";
import { createLogger, type Logger } from "./logger";
import type { RegistryContext, RegistryDefinition } from "./registry";

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

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/health") return sendJson(res, 200, { status: "ok", service: definition.name });
    if (path !== "/graphql" && path !== "/") return sendJson(res, 404, { error: "not found" });
    const requestId = requestIdOf(req);
    const context = async (): Promise<RegistryContext> => ({
      db,
      loaders: definition.createLoaders(db),
      requestId,
      log: log.child({ requestId }),
    });
    serveGraphQL(apollo, req, res, context, { "x-request-id": requestId }).catch((error: unknown) => {
      log.error({ err: error, requestId }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "internal error" }] });
      else res.end();
    });
  });
  const address = await listen(server, options.port ?? definition.defaultPort, options.host ?? "127.0.0.1");
  const url = `http://${formatHost(address)}:${address.port}/graphql`;
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
      if (!options.bus) await bus.close();
    },
  };
}

function formatHost(address: AddressInfo): string {
  if (address.address === "0.0.0.0" || address.address === "::") return "127.0.0.1";
  return address.family === "IPv6" ? `[${address.address}]` : address.address;
}
