// Test helpers of the synthetic world (the "./testing" entry): a registry seeded and served for a test.
import {
  migrate,
  startRegistry,
  type RegistryDefinition,
  type RunningService,
  type Db,
} from "@onecert/subgraph-kit";
import { openTestDb, postGraphQL, type GraphQLReply } from "@onecert/subgraph-kit/testing";
import { samples } from "./samples";
import { seedRegistries } from "./seed";
import type { WorldOptions } from "./types";

export interface TestRegistry {
  db: Db;
  service: RunningService;
  /** The id of a demo subject of the seeded world, by case. */
  sample(caseId: string): string;
  post<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLReply<T>>;
  stop(): Promise<void>;
}

/** One registry, migrated, seeded with `world` and served on a free port, over a database of its own. */
export async function startTestRegistry(
  definition: RegistryDefinition,
  world: WorldOptions,
): Promise<TestRegistry> {
  const db = await openTestDb();
  await migrate(db, definition.dbSchema, definition.migrations);
  await seedRegistries(db, [definition], world);
  const service = await startRegistry({ definition, db, port: 0 });
  const list = samples(world);
  return {
    db,
    service,
    sample(caseId) {
      const found = list.find((candidate) => candidate.case === caseId);
      if (!found) throw new Error(`no sample case "${caseId}"`);
      return found.id;
    },
    post: (query, variables) => postGraphQL(service.url, query, variables),
    async stop() {
      await service.stop();
      await db.close();
    },
  };
}
