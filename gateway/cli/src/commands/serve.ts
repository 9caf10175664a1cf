import {
  createInvalidationBus,
  createLogger,
  DATA_DIR,
  openDb,
  serverTlsFromEnv,
  startRegistry,
  subgraphTrustFromEnv,
} from "@onecert/subgraph-kit";
import { seedInfo, seedRegistries } from "@onecert/synthetic-world";
import { resolve } from "node:path";
import { loadGatewayConfig, startGateway } from "@onecert/gateway";
import { REGISTRIES, registryByName } from "../dev/registries";
import { UsageError } from "./options";
import { serveCertificates } from "./serve-certificates";
import { waitForShutdown } from "./signals";

const envName = (name: string) => name.toUpperCase().replace(/-/g, "_");

/**
 * `onecert serve <service>`: one registry or the gateway alone, configured by environment. A
 * registry uses <NAME>_DATABASE_URL, then DATABASE_URL, then its own embedded database (an
 * embedded database serves one process, so registries in separate processes cannot share one).
 */
export async function serve(args: string[]): Promise<number> {
  const [name] = args;
  if (name === "gateway") {
    const gateway = await startGateway(loadGatewayConfig());
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
  const url =
    process.env[`${envName(definition.name)}_DATABASE_URL`] || process.env.DATABASE_URL || undefined;
  const db = openDb({ url, dataDir: resolve(DATA_DIR, `pglite-${definition.name}`) });
  // Redis carries the invalidation events to gateways in other processes; without it they stay in this one.
  const bus = createInvalidationBus({
    redisUrl: process.env.REDIS_URL || undefined,
    channel: process.env.INVALIDATION_CHANNEL || undefined,
    logger,
  });
  const trust = subgraphTrustFromEnv(process.env, definition.name, logger);
  const service = await startRegistry({
    definition,
    db,
    port: process.env.PORT ? Number(process.env.PORT) : definition.defaultPort,
    host: process.env.HOST || undefined,
    logger,
    bus,
    trust,
    tls: serverTlsFromEnv(process.env),
  });
  const persons = Number(process.env.SEED_PERSONS ?? 10_000);
  if (persons > 0 && !(await seedInfo(db, definition))) {
    logger.info({ persons }, "seeding this registry's part of the synthetic world");
    await seedRegistries(db, [definition], { persons, seed: Number(process.env.SEED ?? 1) });
  }
  await waitForShutdown();
  await service.stop();
  trust.close();
  await bus.close();
  await db.close();
  return 0;
}
