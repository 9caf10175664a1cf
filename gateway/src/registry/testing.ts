import { createLogger, migrate, type Db } from "@onecert/subgraph-kit";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MatterCatalogue } from "../access/matters";
import { createUsageRecorder, USAGE_SCHEMA, usageMigrations, type UsageRecorder } from "../plugins/usage";
import { SCHEMA_DIR } from "../paths";
import { createChecker } from "./check";
import { REGISTRY_SCHEMA, registryMigrations } from "./migrations";
import { createNotifier, type VersionNotifier } from "./notifier";
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
  });
  const notifier = options.notifier ?? createNotifier({ db, logger });
  const service = createRegistryService({ store, checker, notifier, logger });
  if (options.bootstrap !== false) {
    const members = fileMembers();
    await service.publish({ kind: "bootstrap", members, subgraph: null, baseVersion: 0 }, actor("admin"));
  }
  return { store, service, usage, close: () => usage.close() };
}
