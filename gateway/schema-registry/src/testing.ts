import type { GraphQLDataSource } from "@apollo/gateway";
import { createLogger, migrate, type Db, type Logger } from "@onecert/subgraph-kit";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MatterCatalogue } from "@onecert/access";
import { registrySupergraphManager } from "./supergraph/registry-source";
import { createUsageRecorder, USAGE_SCHEMA, usageMigrations, type UsageRecorder } from "./usage";
import { SCHEMA_DIR } from "@onecert/subgraph-kit";
import { createChecker } from "./check";
import { REGISTRY_SCHEMA, registryMigrations } from "./migrations";
import { createNotifier, type VersionNotifier } from "./notifier";
import type { ServedCheck } from "./served";
import { createRegistryService, type RegistryService } from "./service";
import { createRegistryStore, type ProposedMember, type RegistryStore } from "./store";
import type { Actor } from "./types";

/** The four registries as schema/ holds them, ready to bootstrap a test registry. */
export function fileMembers(): ProposedMember[] {
  const departments: Record<string, string> = {
    population: "public-security",
    "legal-entity": "market-regulation",
    property: "natural-resources",
    "social-insurance": "human-resources-social-security",
  };
  return Object.entries(departments).map(([name, department]) => ({
    name,
    department,
    url: `http://127.0.0.1:1/${name}`,
    sdl: readFileSync(join(SCHEMA_DIR, `${name}.graphql`), "utf8"),
    contact: null,
    updateCycle: null,
  }));
}

export const actor = (role: "admin" | "department" | "window", department = "civil-affairs"): Actor => ({
  id: `cl_${role}_${department}`,
  name: `${role} of ${department}`,
  department,
  role,
});

export interface TestRegistry {
  store: RegistryStore;
  service: RegistryService;
  usage: UsageRecorder;
  close(): Promise<void>;
}

/**
 * A registry over `db` (migrated), bootstrapped with the four registries as version 1 unless
 * `bootstrap` is false. Versions are announced with `notifier`, default the database's NOTIFY.
 */
export async function testRegistry(
  db: Db,
  options: {
    usageWindowDays?: number;
    notifier?: VersionNotifier;
    bootstrap?: boolean;
    matters?: MatterCatalogue;
    catalogue?: (supergraphSdl: string) => string[];
    grantedFields?: (department: string) => Promise<ReadonlySet<string>>;
    served?: ServedCheck;
  } = {},
): Promise<TestRegistry> {
  const logger = createLogger("registry-test", "silent");
  await migrate(db, REGISTRY_SCHEMA, registryMigrations);
  await migrate(db, USAGE_SCHEMA, usageMigrations);
  const store = createRegistryStore(db);
  const usage = createUsageRecorder({ db, logger, flushIntervalMs: 60_000 });
  const checker = createChecker({
    usage,
    clientName: async (id) => (id === "anonymous" ? null : `name of ${id}`),
    usageWindowDays: options.usageWindowDays ?? 30,
    matters: options.matters,
    catalogue: options.catalogue,
    grantedFields: options.grantedFields,
  });
  const notifier = options.notifier ?? createNotifier({ db, logger });
  const service = createRegistryService({ store, checker, notifier, served: options.served, logger });
  if (options.bootstrap !== false) {
    const members = fileMembers();
    await service.publish({ kind: "bootstrap", members, subgraph: null, baseVersion: 0 }, actor("admin"));
  }
  return { store, service, usage, close: () => usage.close() };
}

/** A gateway stand-in: records every supergraph the manager hands over and every version it announced. */
export async function startTestManager(
  registry: TestRegistry,
  notifier: VersionNotifier,
  pollIntervalMs: number,
  logger: Logger,
) {
  const updates: string[] = [];
  const versions: number[] = [];
  const manager = registrySupergraphManager({
    store: registry.store,
    notifier,
    pollIntervalMs,
    logger,
    onVersion: (version) => versions.push(version.version),
  });
  const started = await manager.initialize({
    update: (sdl) => void updates.push(sdl),
    healthCheck: async () => undefined,
    getDataSource: () => ({}) as GraphQLDataSource,
  });
  return { initial: started.supergraphSdl, updates, versions, stop: () => started.cleanup!() };
}

let contactChanges = 0;

/** Publishes a change of population's contact: a new version with the same supergraph SDL. */
export async function publishContactChange(through: RegistryService): Promise<number> {
  contactChanges += 1;
  const change = {
    kind: "update" as const,
    subgraph: { name: "population", contact: `desk ${contactChanges}` },
  };
  return (await through.publish(change, actor("admin", "data"))).version.version;
}

/** Polls `probe` every 20 ms; the milliseconds it took, or an error after `ms`. */
export async function within(ms: number, probe: () => boolean): Promise<number> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}
