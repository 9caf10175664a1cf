import {
  createInvalidationBus,
  createLogger,
  DATA_DIR,
  openDb,
  serverTlsFromEnv,
  startRegistry,
  subgraphTrustFromEnv,
} from "@onecert/subgraph-kit";
import { startTracing } from "@onecert/subgraph-kit/tracing";
import { restoreIndexes, seedInfo, seedRegistries } from "@onecert/synthetic-world";
import { resolve } from "node:path";
import { cliSettings, registryDatabaseUrl } from "../settings";
import { loadGatewayConfig, startGateway } from "@onecert/gateway";
import { checkFigures } from "@onecert/certificates";
import { REGISTRIES, registryByName } from "../dev/registries";
import { UsageError } from "./options";
import { serveCertificates } from "./serve-certificates";
import { waitForShutdown } from "./signals";

/**
 * `onecert serve <service>`: one registry or the gateway alone, configured by environment. A
 * registry uses <NAME>_DATABASE_URL, then DATABASE_URL, then its own embedded database (an
 * embedded database serves one process, so registries in separate processes cannot share one).
 */
export async function serve(args: string[]): Promise<number> {
  // OTEL_EXPORTER_OTLP_ENDPOINT turns tracing on; without it nothing is started.
  const tracing = startTracing({ serviceName: `onecert-${args[0] ?? "service"}`, env: process.env });
  try {
    return await serveService(args);
  } finally {
    await tracing.shutdown();
  }
}

async function serveService(args: string[]): Promise<number> {
  const [name] = args;
  if (name === "gateway") {
    // The certificates service counts its checks in this gateway's database: the scorecard reads them.
    const gateway = await startGateway(loadGatewayConfig(), { checkFigures });
    await waitForShutdown();
    await gateway.stop();
    return 0;
  }
  if (name === "certificates") return serveCertificates();
  const definition = name ? registryByName(name) : undefined;
  if (!definition) {
    throw new UsageError(
      `serve what? one of: ${[...REGISTRIES.map((r) => r.name), "certificates", "gateway"].join(", ")}`,
    );
  }
  const logger = createLogger(definition.name);
  const settings = cliSettings();
  const url = registryDatabaseUrl(definition.name) ?? settings.DATABASE_URL;
  const db = openDb({ url, dataDir: resolve(DATA_DIR, `pglite-${definition.name}`) });
  // Redis carries the invalidation events to gateways in other processes; without it they stay in this one.
  const bus = createInvalidationBus({
    redisUrl: settings.REDIS_URL,
    channel: settings.INVALIDATION_CHANNEL,
    logger,
  });
  const trust = subgraphTrustFromEnv(process.env, definition.name, logger);
  const service = await startRegistry({
    definition,
    db,
    port: settings.PORT ?? definition.defaultPort,
    host: settings.HOST,
    logger,
    bus,
    trust,
    tls: serverTlsFromEnv(process.env),
  });
  const persons = settings.SEED_PERSONS;
  if (persons > 0 && !(await seedInfo(db, definition))) {
    logger.info({ persons }, "seeding this registry's part of the synthetic world");
    await seedRegistries(db, [definition], { persons, seed: settings.SEED });
  } else {
    // A seed cut short parked this registry's indexes and keys: they are rebuilt before serving on.
    const rebuilt = await restoreIndexes(db, definition);
    if (rebuilt.length > 0) logger.warn({ rebuilt }, "indexes parked by a cut-short seed rebuilt");
  }
  await waitForShutdown();
  await service.stop();
  trust.close();
  await bus.close();
  await db.close();
  return 0;
}
