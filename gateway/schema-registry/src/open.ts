import type { SupergraphManager } from "@apollo/gateway";
import { migrate, type Db, type Logger } from "@onecert/subgraph-kit";
import type { MatterCatalogue } from "@onecert/access";
import { registrySupergraphManager } from "./supergraph/registry-source";
import { bootstrapRegistry } from "./bootstrap";
import { createChecker } from "./check";
import type { RegistryConfig } from "./config";
import { createHealthChecker, type HealthChecker } from "./health";
import { introspectSubgraph, type SubgraphPost } from "./probe";
import { REGISTRY_SCHEMA, registryMigrations } from "./migrations";
import { createNotifier, type VersionNotifier } from "./notifier";
import { servedCheck } from "./served";
import { createRegistryService, type RegistryService } from "./service";
import { createRegistryStore, type RegistryStore } from "./store";
import type { UsageSource, VersionRecord } from "./types";
import { registryViews, type RegistryViews } from "./views";

export interface RegistryDeps {
  db: Db;
  config: RegistryConfig;
  /** Whether the gateway serves the registry (SUPERGRAPH_SOURCE=registry); its API refuses otherwise. */
  enabled: boolean;
  /** Announce versions over Redis pub/sub; unset: PostgreSQL LISTEN/NOTIFY where possible. */
  redisUrl?: string;
  usage: UsageSource;
  /** A client's name for reports; null when unknown. */
  clientName: (id: string) => Promise<string | null>;
  /** Matters whose fields a change may not remove. Default none. */
  matters?: MatterCatalogue;
  /** The certificate catalogue's problems against a supergraph; a change adding problems is refused. Default none. */
  catalogue?: (supergraphSdl: string) => string[] | Promise<string[]>;
  /** Changes exactly when the catalogue `catalogue` checks does (its generation). Default: never. */
  catalogueStamp?: () => number | string;
  /** Fields approved grants of a department's clients cover, for @requires across departments. Default none. */
  grantedFields?: (department: string) => Promise<ReadonlySet<string>>;
  /** The URL this gateway reaches a subgraph at (SUBGRAPH_URL_<NAME>); default the registered one. */
  urlInUse?: (name: string, registered: string) => string;
  /** How the registry's probes and introspection reach a subgraph: the gateway signs them. Default an unsigned fetch. */
  post?: SubgraphPost;
  /** Subgraph names only an admin may register or change (trusted subgraphs). Default none. */
  reserved?: (name: string) => boolean;
  logger: Logger;
}

/** The department registry of one gateway replica. */
export interface Registry {
  /** Whether the gateway serves the registry (SUPERGRAPH_SOURCE=registry). */
  enabled: boolean;
  store: RegistryStore;
  service: RegistryService;
  views: RegistryViews;
  health: HealthChecker;
  notifier: VersionNotifier;
  /** The SDL the subgraph `name` serves at `url`, read through the gateway's hop. */
  introspect(name: string, url: string): Promise<string>;
  /**
   * The supergraph source SUPERGRAPH_SOURCE=registry: bootstraps an empty registry from the
   * supergraph file at `supergraphPath` (each subgraph's SDL in <name>.graphql next to it).
   */
  manager(options: {
    supergraphPath: string;
    departmentOf?: (name: string) => string | undefined;
  }): SupergraphManager;
  /** The department owning a subgraph of the version served; undefined unless the registry is the source. */
  departmentOf(name: string): string | undefined;
  /** The version served; null unless the registry is the source. */
  servedVersion(): number | null;
  close(): Promise<void>;
}

/** Applies the registry's migrations and builds it; nothing runs in the background until used. */
export async function openRegistry(deps: RegistryDeps): Promise<Registry> {
  const { db, config, logger } = deps;
  await migrate(db, REGISTRY_SCHEMA, registryMigrations);
  const store = createRegistryStore(db);
  const notifier = createNotifier({ redisUrl: deps.redisUrl, channel: config.channel, db, logger });
  const checker = createChecker({
    usage: deps.usage,
    clientName: deps.clientName,
    usageWindowDays: config.usageWindowDays,
    matters: deps.matters,
    catalogue: deps.catalogue,
    catalogueStamp: deps.catalogueStamp,
    grantedFields: deps.grantedFields,
  });
  const service = createRegistryService({
    store,
    checker,
    notifier,
    reserved: deps.reserved,
    // Through the same signed hop as introspect: a subgraph answers only the gateway.
    served: servedCheck({ post: deps.post, urlInUse: deps.urlInUse }),
    logger,
  });
  const health = createHealthChecker({ intervalMs: config.healthIntervalMs, post: deps.post });
  let served: VersionRecord | null = null;
  return {
    enabled: deps.enabled,
    store,
    service,
    views: registryViews(store, health.status, deps.urlInUse),
    health,
    notifier,
    introspect: (name, url) => introspectSubgraph(name, url, deps.post),
    manager: ({ supergraphPath, departmentOf }) =>
      registrySupergraphManager({
        store,
        notifier,
        pollIntervalMs: config.pollIntervalMs,
        logger,
        bootstrap: () =>
          bootstrapRegistry({
            service,
            store,
            supergraphPath,
            departmentOf,
            sync: config.syncFromFiles,
            logger,
          }),
        onVersion: (version) => {
          served = version;
        },
      }),
    departmentOf: (name) => served?.members.find((member) => member.name === name)?.department,
    servedVersion: () => served?.version ?? null,
    async close() {
      health.close();
      await notifier.close();
    },
  };
}
