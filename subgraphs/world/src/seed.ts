import type { Db, RegistryDefinition } from "@onecert/subgraph-kit";
import { MAX_PERSONS, defaultAsOf, generateWorld, worldSize } from "./world";
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
 * Replaces the data of the given registries with one synthetic world, generated once and
 * written block by block to each. A registry's seed_info row is written last, so a seed cut
 * short is redone on the next start instead of being taken for complete.
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
  for (const definition of definitions) {
    await ensureSeedTable(db, definition.dbSchema);
    await db.exec(
      `DELETE FROM ${definition.dbSchema}.seed_info; ` +
        definition.tables.map((table) => `TRUNCATE ${definition.dbSchema}.${table} CASCADE`).join("; "),
    );
  }
  const blocks = worldSize(world);
  let done = 0;
  for (const block of generateWorld(world)) {
    await db.transaction(async (tx) => {
      for (const definition of definitions) await definition.seedBlock(tx, block);
    });
    done += block.persons.length;
    options.onProgress?.({ block: block.index + 1, blocks, persons: done });
  }
  for (const definition of definitions) {
    await db.query(
      `INSERT INTO ${definition.dbSchema}.seed_info (seed, persons, as_of) VALUES ($1, $2, $3)`,
      [world.seed, world.persons, world.asOf],
    );
  }
  return { ...world, seededAt: new Date() };
}
