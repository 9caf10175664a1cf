// Test helpers of the synthetic world (the "./testing" entry): a registry seeded and served for a test.
import {
  HOP_ASSERTION_HEADER,
  migrate,
  startRegistry,
  type RegistryDefinition,
  type RunningService,
  type Db,
} from "@onecert/subgraph-kit";
import {
  createTestHop,
  openTestDb,
  postBody,
  type GraphQLReply,
  type TestHop,
} from "@onecert/subgraph-kit/testing";
import { samples } from "./samples";
import { seedRegistries } from "./seed";
import type { WorldOptions } from "./types";

export interface TestRegistry {
  db: Db;
  service: RunningService;
  /** The id of a demo subject of the seeded world, by case. */
  sample(caseId: string): string;
  /** Sends an operation as the gateway would: signed for this registry over its exact body. */
  post<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLReply<T>>;
  /** The stand-in gateway keys the registry trusts, to make assertions to order. */
  hop: TestHop;
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
  const hop = createTestHop();
  const service = await startRegistry({ definition, db, port: 0, trust: { keys: hop.keys } });
  const list = samples(world);
  return {
    db,
    service,
    sample(caseId) {
      const found = list.find((candidate) => candidate.case === caseId);
      if (!found) throw new Error(`no sample case "${caseId}"`);
      return found.id;
    },
    post: (query, variables) => {
      const body = JSON.stringify({ query, variables });
      return postBody(service.url, body, { [HOP_ASSERTION_HEADER]: hop.assert(definition.name, body) });
    },
    hop,
    async stop() {
      await service.stop();
      await db.close();
    },
  };
}
