import type { Db, RegistryDefinition } from "@onecert/subgraph-kit";
import { MAX_PERSONS, defaultAsOf, generateWorld, worldSize } from "./world";
import { analyzeTables, deferIndexes, restoreIndexes, settleAll } from "./indexes";
import type { WorldBlock, WorldOptions } from "./types";

/** Persons seeded on first start. */
export const DEFAULT_PERSONS = 10_000;

export interface SeedInfo {
  seed: number;
  persons: number;
  asOf: string;
  seededAt: Date;
}

export interface SeedProgress {
  block: number;
  blocks: number;
  persons: number;
}

export interface SeedOptions extends WorldOptions {
  /** Called after each block is written, for progress output. */
  onProgress?: (progress: SeedProgress) => void;
  /** Called when a step after the load starts: on a large world these take minutes. */
  onStep?: (step: "indexes" | "analyze") => void;
}

async function ensureSeedTable(db: Db, schema: string): Promise<void> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS ${schema}.seed_info (
       id boolean PRIMARY KEY DEFAULT true CHECK (id), seed integer NOT NULL, persons integer NOT NULL,
       as_of text NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())`,
  );
}

/** What the registry was last seeded with; null when it never finished a seed. */
export async function seedInfo(
  db: Db,
  definition: Pick<RegistryDefinition, "dbSchema">,
): Promise<SeedInfo | null> {
  await ensureSeedTable(db, definition.dbSchema);
  const rows = await db.query<{ seed: number; persons: number; as_of: string; seeded_at: Date }>(
    `SELECT seed, persons, as_of, seeded_at FROM ${definition.dbSchema}.seed_info`,
  );
  const row = rows[0];
  return row ? { seed: row.seed, persons: row.persons, asOf: row.as_of, seededAt: row.seeded_at } : null;
}

/**
 * Blocks written at once on PostgreSQL, each in a transaction on its own connection: the next
 * block is generated while the server still writes the previous ones, so JS and the server work
 * side by side. PGlite runs in this thread and serialises transactions, so there it is one.
 */
const PG_BLOCKS_IN_FLIGHT = 4;

/**
 * Replaces the data of the given registries with one synthetic world, generated once and
 * written block by block to each. Secondary indexes are dropped for the load and rebuilt after
 * it, then the tables are analyzed. A registry's seed_info row is written last, so a seed cut
 * short is redone on the next start instead of being taken for complete, and that next seed
 * rebuilds the indexes the cut-short one had parked.
 */
export async function seedRegistries(
  db: Db,
  definitions: readonly RegistryDefinition<unknown, WorldBlock>[],
  options: SeedOptions = {},
): Promise<SeedInfo> {
  const persons = options.persons ?? DEFAULT_PERSONS;
  if (!Number.isInteger(persons) || persons < 1 || persons > MAX_PERSONS) {
    throw new RangeError(`persons must be an integer from 1 to ${MAX_PERSONS}, got ${persons}`);
  }
  const world = { seed: options.seed ?? 1, persons, asOf: options.asOf ?? defaultAsOf() };
  worldSize(world); // rejects options the generator cannot honour before anything is dropped
  for (const definition of definitions) {
    await ensureSeedTable(db, definition.dbSchema);
    await db.exec(`DELETE FROM ${definition.dbSchema}.seed_info`);
    await deferIndexes(db, definition);
    await db.exec(
      definition.tables.map((table) => `TRUNCATE ${definition.dbSchema}.${table} CASCADE`).join("; "),
    );
  }
  await loadWorld(db, definitions, world, options.onProgress);
  options.onStep?.("indexes");
  // On PostgreSQL the registries' index builds run side by side, one connection each.
  if (db.driver === "pg") await settleAll(definitions.map((definition) => restoreIndexes(db, definition)));
  else for (const definition of definitions) await restoreIndexes(db, definition);
  options.onStep?.("analyze");
  for (const definition of definitions) await analyzeTables(db, definition);
  for (const definition of definitions) {
    await db.query(
      `INSERT INTO ${definition.dbSchema}.seed_info (seed, persons, as_of) VALUES ($1, $2, $3)`,
      [world.seed, world.persons, world.asOf],
    );
  }
  return { ...world, seededAt: new Date() };
}

async function loadWorld(
  db: Db,
  definitions: readonly RegistryDefinition<unknown, WorldBlock>[],
  world: WorldOptions,
  onProgress: SeedOptions["onProgress"],
): Promise<void> {
  const blocks = worldSize(world);
  const limit = db.driver === "pg" ? PG_BLOCKS_IN_FLIGHT : 1;
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let written = 0;
  let done = 0;
  const write = async (block: WorldBlock): Promise<void> => {
    await db.transaction(async (tx) => {
      // Nothing of a seed is worth waiting for the WAL flush: a crash means a reseed anyway.
      await tx.query("SET LOCAL synchronous_commit = off");
      for (const definition of definitions) await definition.seedBlock(tx, block);
    });
    written += 1;
    done += block.persons.length;
    onProgress?.({ block: written, blocks, persons: done });
  };
  for (const block of generateWorld(world)) {
    const pending: Promise<void> = write(block).then(
      () => void inFlight.delete(pending),
      (error: unknown) => {
        failure ??= { error };
        inFlight.delete(pending);
      },
    );
    inFlight.add(pending);
    if (inFlight.size >= limit) await Promise.race(inFlight);
    if (failure) break;
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
}
