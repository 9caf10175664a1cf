import type { Db, Migration, Queryable } from "./db";
import type { AnnouncedChange } from "./events";
import type { HopContext } from "./hop";
import type { Logger } from "./logger";
import type { FederatedSchema } from "./schema";

/** What every resolver of a registry sees: its database, per-request loaders, request id and caller. */
export interface RegistryContext<Loaders = unknown> {
  db: Db;
  loaders: Loaders;
  requestId: string;
  /** Who asks and why, as the gateway's verified assertion says. */
  hop: HopContext;
  log: Logger;
  /** Collects the change events this request committed; they go back with the answer (applyChange's `announce`). */
  announce: (events: AnnouncedChange[]) => void;
  /** What was announced so far. */
  readonly announced: AnnouncedChange[];
}

/** A subgraph as the tools that start and compose it see it: its name, owner, port and schema. */
export interface SubgraphDefinition {
  /** Subgraph name in the supergraph, e.g. "population". */
  name: string;
  /** Owning department: it is stamped as the owner of every sharing rule the subgraph declares. */
  department: string;
  /** Port when run alone and nothing else is configured. */
  defaultPort: number;
  buildSchema(): Promise<FederatedSchema>;
}

/**
 * Everything the toolkit needs to run, migrate, seed and compose one registry subgraph. `Block`
 * is what its seeder writes (the synthetic world's blocks); the toolkit never looks inside.
 */
export interface RegistryDefinition<Loaders = unknown, Block = never> extends SubgraphDefinition {
  /** The PostgreSQL schema that owns this registry's tables; no other registry reads it. */
  dbSchema: string;
  /** Tables cleared before a reseed, children first. */
  tables: readonly string[];
  migrations: readonly Migration[];
  /** New DataLoaders for one request: batching and caching never cross requests. */
  createLoaders(db: Db): Loaders;
  /** Inserts this registry's part of one block of the synthetic world. */
  seedBlock(db: Queryable, block: Block): Promise<void>;
}
