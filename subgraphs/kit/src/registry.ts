import type { Db, Migration, Queryable } from "./db";
import type { Logger } from "./logger";
import type { FederatedSchema } from "./schema";
import type { WorldBlock } from "./synth/types";

/** What every resolver of a registry sees: its database, per-request loaders and request id. */
export interface RegistryContext<Loaders = unknown> {
  db: Db;
  loaders: Loaders;
  requestId: string;
  log: Logger;
}

/** Everything the toolkit needs to run, migrate, seed and compose one registry subgraph. */
export interface RegistryDefinition<Loaders = unknown> {
  /** Subgraph name in the supergraph, e.g. "population". */
  name: string;
  /** Owning department, for documentation and the registry. */
  department: string;
  /** The PostgreSQL schema that owns this registry's tables; no other registry reads it. */
  dbSchema: string;
  /** Tables cleared before a reseed, children first. */
  tables: readonly string[];
  migrations: readonly Migration[];
  /** Port when run alone and nothing else is configured. */
  defaultPort: number;
  buildSchema(): Promise<FederatedSchema>;
  /** New DataLoaders for one request: batching and caching never cross requests. */
  createLoaders(db: Db): Loaders;
  /** Inserts this registry's part of one block of the synthetic world. */
  seedBlock(db: Queryable, block: WorldBlock): Promise<void>;
}
