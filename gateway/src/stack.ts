import {
  createLogger,
  openDb,
  seedInfo,
  seedRegistries,
  startRegistry,
  type Db,
  type Logger,
  type RunningService,
  type SeedInfo,
  type SeedProgress,
} from "@onecert/subgraph-kit";
import { loadGatewayConfig, type GatewayConfig } from "./config";
import { REGISTRIES } from "./registries";
import { startGateway, type RunningGateway } from "./server";

export interface StackOptions {
  /** An open database to use instead of opening one; the caller keeps ownership of it. */
  db?: Db;
  /** PostgreSQL URL; unset uses the embedded database. Default env DATABASE_URL. */
  databaseUrl?: string;
  /** Embedded database directory; "memory://" keeps nothing. Default .data/pglite. */
  dataDir?: string;
  /** Seed an empty database on start with this many persons. Default 10,000; 0 never seeds. */
  seedPersons?: number;
  /** World seed. Default 1. */
  seed?: number;
  /** Last contribution period of seeded data (YYYYMM). Default: the month before now. */
  asOf?: string;
  /** Ports of the registries, by name; missing ones use 0 (a free port). */
  registryPorts?: Record<string, number>;
  /** Gateway settings on top of the environment's. */
  gateway?: Partial<GatewayConfig>;
  logger?: Logger;
  onSeedProgress?: (progress: SeedProgress) => void;
}

export interface Stack {
  db: Db;
  gateway: RunningGateway;
  registries: RunningService[];
  /** Set when this start seeded the database. */
  seeded: SeedInfo | null;
  /** The synthetic world the database holds (null when never seeded). */
  world: SeedInfo | null;
  stop(): Promise<void>;
}

/**
 * Starts the four registries and the gateway in one process on one database: the zero-setup
 * way to run everything (`onecert start`) and what the end-to-end tests drive.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const logger = options.logger ?? createLogger("onecert");
  const db = options.db ?? openDb({ url: options.databaseUrl, dataDir: options.dataDir });
  const closeDb = () => (options.db ? Promise.resolve() : db.close());
  const registries: RunningService[] = [];
  try {
    for (const definition of REGISTRIES) {
      const port = options.registryPorts?.[definition.name] ?? 0;
      registries.push(
        await startRegistry({ definition, db, port, logger: logger.child({ registry: definition.name }) }),
      );
    }
    let seeded: SeedInfo | null = null;
    const persons = options.seedPersons ?? 10_000;
    const existing = await Promise.all(REGISTRIES.map((definition) => seedInfo(db, definition)));
    if (persons > 0 && existing.some((info) => info === null)) {
      logger.info({ persons }, "seeding the registries with synthetic data");
      seeded = await seedRegistries(db, REGISTRIES, {
        persons,
        seed: options.seed,
        asOf: options.asOf,
        onProgress: options.onSeedProgress,
      });
    }
    const subgraphUrls = Object.fromEntries(registries.map((service) => [service.name, service.url]));
    const config = loadGatewayConfig(process.env, { port: 0, ...options.gateway, subgraphUrls });
    const gateway = await startGateway(config, { logger: logger.child({ component: "gateway" }), db });
    return {
      db,
      gateway,
      registries,
      seeded,
      world: seeded ?? existing[0] ?? null,
      async stop() {
        await gateway.stop();
        await Promise.all(registries.map((service) => service.stop()));
        await closeDb();
      },
    };
  } catch (error) {
    await Promise.all(registries.map((service) => service.stop()));
    await closeDb();
    throw error;
  }
}
