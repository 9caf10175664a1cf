import { migrate, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { deferIndexes, restoreIndexes, seedInfo, seedRegistries } from "@onecert/synthetic-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTRIES } from "../dev/registries";

const WORLD = { persons: 200, seed: 7, asOf: "202506" };
const SCHEMAS = REGISTRIES.map((registry) => registry.dbSchema);
const SEEDED = REGISTRIES.flatMap((registry) =>
  registry.tables.map((table) => `${registry.dbSchema}.${table}`),
);

/** Every index and constraint of the seeded tables, as the catalog defines them. */
async function catalog(db: Db): Promise<string[]> {
  const indexes = await db.query<{ line: string }>(
    `SELECT schemaname || '.' || tablename || ' ' || indexdef AS line FROM pg_indexes
      WHERE schemaname = ANY($1::text[]) AND schemaname || '.' || tablename = ANY($2::text[])`,
    [SCHEMAS, SEEDED],
  );
  const constraints = await db.query<{ line: string }>(
    `SELECT c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) AS line
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = ANY($1::text[]) AND c.conrelid::regclass::text = ANY($2::text[])`,
    [SCHEMAS, SEEDED],
  );
  return [...indexes, ...constraints].map((row) => row.line).sort();
}

/** Seeded tables that hold rows but have no planner statistics, which only ANALYZE writes. */
async function unanalyzed(db: Db): Promise<string[]> {
  const missing: string[] = [];
  for (const table of SEEDED) {
    const [schema, name] = table.split(".");
    const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    const stats = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = $1 AND tablename = $2",
      [schema, name],
    );
    if ((rows[0]?.n ?? 0) > 0 && stats[0]?.n === 0) missing.push(table);
  }
  return missing;
}

async function parked(db: Db): Promise<number> {
  let count = 0;
  for (const schema of SCHEMAS) {
    const rows = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${schema}.seed_deferred_indexes`,
    );
    count += rows[0]?.n ?? 0;
  }
  return count;
}

describe("seeding the four registries", () => {
  let db: Db;
  let migrated: string[];
  beforeAll(async () => {
    db = await openTestDb();
    for (const registry of REGISTRIES) await migrate(db, registry.dbSchema, registry.migrations);
    migrated = await catalog(db);
  });
  afterAll(() => db.close());

  it("ends with every index and constraint the migrations define, and analyzed tables", async () => {
    const statements: string[] = [];
    const stop = db.onStatement((sql) => statements.push(sql));
    await seedRegistries(db, REGISTRIES, WORLD);
    stop();
    expect(await catalog(db)).toEqual(migrated);
    expect(await parked(db)).toBe(0);
    expect(await unanalyzed(db)).toEqual([]);
    // The load ran without the deferrable indexes: they were dropped, then rebuilt.
    expect(
      statements.some((sql) => sql.startsWith("DROP INDEX social_insurance.contributions_employer_idx")),
    ).toBe(true);
    expect(statements.some((sql) => sql.includes("DROP CONSTRAINT contributions_pkey"))).toBe(true);
    // Foreign keys reference these, so they stay through the load.
    expect(
      statements.some((sql) => /DROP CONSTRAINT (households|enterprises|real_estate)_pkey/.test(sql)),
    ).toBe(false);
  });

  it("rebuilds on the next seed the indexes of a seed cut short after loading", async () => {
    const cut = new Error("cut short");
    await expect(
      seedRegistries(db, REGISTRIES, {
        ...WORLD,
        onProgress: (progress) => {
          if (progress.block === progress.blocks) throw cut;
        },
      }),
    ).rejects.toBe(cut);
    const during = await catalog(db);
    expect(during.length).toBeLessThan(migrated.length);
    expect(await parked(db)).toBeGreaterThan(0);
    for (const registry of REGISTRIES) expect(await seedInfo(db, registry)).toBeNull();

    await seedRegistries(db, REGISTRIES, WORLD);
    expect(await catalog(db)).toEqual(migrated);
    expect(await parked(db)).toBe(0);
    expect(await unanalyzed(db)).toEqual([]);
    for (const registry of REGISTRIES) expect((await seedInfo(db, registry))?.persons).toBe(WORLD.persons);
  });
  it("rebuilds a cut-short seed's indexes at a start that does not seed (SEED_PERSONS=0)", async () => {
    const cut = new Error("cut short");
    await expect(
      seedRegistries(db, REGISTRIES, {
        ...WORLD,
        onProgress: (progress) => {
          if (progress.block === progress.blocks) throw cut;
        },
      }),
    ).rejects.toBe(cut);
    expect(await parked(db)).toBeGreaterThan(0);
    // What the dev stack and `onecert serve` run when they do not seed.
    for (const registry of REGISTRIES) await restoreIndexes(db, registry);
    expect(await catalog(db)).toEqual(migrated);
    expect(await parked(db)).toBe(0);
    await seedRegistries(db, REGISTRIES, WORLD);
  });

  it("finishes a rebuild cut short between building a primary key's index and attaching it", async () => {
    const socialInsurance = REGISTRIES.find((registry) => registry.dbSchema === "social_insurance");
    if (!socialInsurance) throw new Error("no social-insurance registry");
    expect(await deferIndexes(db, socialInsurance)).toBeGreaterThan(1);
    const [pkey] = await db.query<{ definition: string }>(
      "SELECT definition FROM social_insurance.seed_deferred_indexes WHERE name = 'contributions_pkey'",
    );
    await db.exec(pkey?.definition ?? "");
    await seedRegistries(db, REGISTRIES, WORLD);
    expect(await catalog(db)).toEqual(migrated);
    expect(await parked(db)).toBe(0);
  });
});
