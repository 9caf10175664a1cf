import {
  createKeyring,
  KEY_PURPOSES,
  keyringKeySource,
  type SubgraphTrust,
  createInvalidationBus,
  createLogger,
  openDb,
  startRegistry,
  type Db,
  type InvalidationBus,
  type Logger,
  type RunningService,
  type SubgraphServerTls,
} from "@onecert/subgraph-kit";
import {
  restoreIndexes,
  seedInfo,
  seedRegistries,
  type SeedInfo,
  type SeedProgress,
} from "@onecert/synthetic-world";
import {
  checkFigures,
  startCertificates,
  type CertificatesConfig,
  type RunningCertificates,
} from "@onecert/certificates";
import { certificatesConfigFor, certificatesSupergraphWatch } from "./certificates-config";
import {
  loadGatewayConfig,
  type GatewayConfig,
  startGateway,
  type RunningGateway,
  type SubgraphTls,
} from "@onecert/gateway";
import { REGISTRIES } from "./registries";

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
  /** Certificates service settings on top of the environment's (its port: registryPorts.certificates). */
  certificates?: Partial<CertificatesConfig>;
  logger?: Logger;
  /**
   * Serves the registries and the certificates service over TLS (`server`; with its `ca`,
   * requiring a client certificate), and gives the gateway `gateway` to reach them. Default plain HTTP.
   */
  tls?: { server: SubgraphServerTls; gateway: SubgraphTls };
  onSeedProgress?: (progress: SeedProgress) => void;
  /** Check every admin answer against its declared schema (tests); default false. */
  checkResponses?: boolean;
  /**
   * Where the registries publish their changes; the caller keeps ownership. Default: Redis when
   * REDIS_URL (or gateway.redisUrl) is set, so other processes hear them too, else the in-process bus;
   * the channel is INVALIDATION_CHANNEL, default "onecert:invalidation".
   */
  invalidationBus?: InvalidationBus;
}

export interface Stack {
  db: Db;
  gateway: RunningGateway;
  /** The certificates subgraph (checks, proofs, commitments). */
  certificates: RunningCertificates;
  registries: RunningService[];
  /** The bus the registries publish their invalidation events on. */
  invalidationBus: InvalidationBus;
  /** Whom the registries believe: the gateway's hop keys (to start one again, as tests do). */
  trust: SubgraphTrust;
  /** Set when this start seeded the database. */
  seeded: SeedInfo | null;
  /** The synthetic world the database holds (null when never seeded). */
  world: SeedInfo | null;
  stop(): Promise<void>;
}

/**
 * Starts the four registries, the certificates service and the gateway in one process on one
 * database: the zero-setup way to run everything (`onecert start`) and what the end-to-end tests drive.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const logger = options.logger ?? createLogger("onecert");
  const db = options.db ?? openDb({ url: options.databaseUrl, dataDir: options.dataDir });
  const closeDb = () => (options.db ? Promise.resolve() : db.close());
  const redisUrl = options.gateway?.redisUrl ?? (process.env.REDIS_URL || undefined);
  const channel = process.env.INVALIDATION_CHANNEL || undefined;
  const ownBus = options.invalidationBus ? undefined : createInvalidationBus({ redisUrl, channel, logger });
  const bus = options.invalidationBus ?? ownBus!;
  const registries: RunningService[] = [];
  // One process, one database: the registries read the gateway's hop keys from its keyring.
  const trust: SubgraphTrust = { keys: keyringKeySource(createKeyring(db, { purpose: KEY_PURPOSES.hop })) };
  let certificates: RunningCertificates | undefined;
  try {
    for (const definition of REGISTRIES) {
      const port = options.registryPorts?.[definition.name] ?? 0;
      registries.push(
        await startRegistry({
          definition,
          db,
          port,
          logger: logger.child({ registry: definition.name }),
          bus,
          trust,
          tls: options.tls?.server,
        }),
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
    } else {
      // Not seeding now (SEED_PERSONS=0, or seeded already): a seed cut short must not leave the
      // registries without the indexes and keys it parked for its load.
      for (const definition of REGISTRIES) {
        const rebuilt = await restoreIndexes(db, definition);
        if (rebuilt.length > 0)
          logger.warn({ registry: definition.name, rebuilt }, "indexes parked by a cut-short seed rebuilt");
      }
    }
    const subgraphUrls: Record<string, string> = Object.fromEntries(
      registries.map((service) => [service.name, service.url]),
    );
    const loaded = loadGatewayConfig(process.env, {
      port: 0,
      // Every service and the embedded database share this process's event loop, whose pauses
      // are the database's work, not overload: shedding is off here unless asked for.
      ...(process.env.MAX_EVENT_LOOP_DELAY_MS ? {} : { maxEventLoopDelayMs: 0 }),
      ...options.gateway,
      subgraphUrls,
    });
    const config = options.tls ? { ...loaded, hop: { ...loaded.hop, tls: options.tls.gateway } } : loaded;
    certificates = await startCertificates({
      db,
      config: await certificatesConfigFor(config, process.env, {
        port: options.registryPorts?.certificates ?? 0,
        ...options.certificates,
      }),
      logger: logger.child({ component: "certificates" }),
      supergraph: certificatesSupergraphWatch(config, db),
      trust,
      tls: options.tls?.server,
    });
    subgraphUrls[certificates.name] = certificates.url;
    const gateway = await startGateway(config, {
      logger: logger.child({ component: "gateway" }),
      db,
      checkFigures,
      checkResponses: options.checkResponses,
    });
    certificates.setGatewayUrl(gateway.url);
    const started = certificates;
    return {
      db,
      gateway,
      certificates: started,
      registries,
      invalidationBus: bus,
      trust,
      seeded,
      world: seeded ?? existing[0] ?? null,
      async stop() {
        await gateway.stop();
        await started.stop();
        await Promise.all(registries.map((service) => service.stop()));
        await ownBus?.close();
        await closeDb();
      },
    };
  } catch (error) {
    await certificates?.stop();
    await Promise.all(registries.map((service) => service.stop()));
    await ownBus?.close();
    await closeDb();
    throw error;
  }
}
