import { createLogger, migrate, openDb, DATA_DIR } from "@onecert/subgraph-kit";
import { seedRegistries } from "@onecert/synthetic-world";
import { openCacheStore, loadGatewayConfig } from "@onecert/gateway";
import { resolve } from "node:path";
import { REGISTRIES } from "../dev/registries";
import { parseWorldFlags } from "./options";
import { progressPrinter } from "./progress";
import { writeWorldFile } from "./world-file";
import { cliSettings } from "../settings";

const STEPS = {
  indexes: "loaded; building the indexes the load went without",
  analyze: "indexes built; analyzing the tables",
} as const;

/** `onecert seed`: replaces every registry's data with one synthetic world. */
export async function seedCommand(args: string[]): Promise<number> {
  const { world } = parseWorldFlags(args);
  const settings = cliSettings();
  const databaseUrl = settings.DATABASE_URL;
  const target = databaseUrl ? "PostgreSQL (DATABASE_URL)" : "the embedded database in .data/pglite";
  process.stderr.write(`Seeding ${target}; stop \`onecert start\` first when it uses the same database.\n`);
  const db = openDb({
    url: databaseUrl,
    dataDir: settings.PGLITE_DATA_DIR ?? resolve(DATA_DIR, "pglite"),
  });
  const started = Date.now();
  try {
    for (const registry of REGISTRIES) await migrate(db, registry.dbSchema, registry.migrations);
    const info = await seedRegistries(db, REGISTRIES, {
      ...world,
      onProgress: progressPrinter("seeding"),
      onStep: (step) => {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stderr.write(`${STEPS[step]} (at ${seconds} s)\n`);
      },
    });
    writeWorldFile(info);
    await dropSharedCache();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `Seeded ${info.persons.toLocaleString("en")} persons (seed ${info.seed}, data as of ${info.asOf}) in ${seconds.toFixed(1)} s.\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * After a reseed nothing cached is true any more: with a shared Redis cache (REDIS_URL or
 * CACHE_REDIS_CLUSTER_NODES) its generation is moved on, and every gateway on it stops reading
 * the old entries within a second. Gateways with an in-process cache need a restart.
 */
export async function dropSharedCache(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const config = loadGatewayConfig(env);
  if (!config.redisUrl && config.cache.clusterNodes.length === 0) {
    process.stderr.write("No shared cache configured: restart running gateways to drop what they cached.\n");
    return false;
  }
  const store = openCacheStore(config.cache, config.redisUrl, createLogger("seed"));
  try {
    await store.clear();
    process.stderr.write("The shared cache was dropped (new generation).\n");
    return true;
  } finally {
    await store.close();
  }
}
