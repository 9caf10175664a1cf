/**
 * Indexes during a full seed: dropped before the load and rebuilt once after it, a sorted
 * build instead of millions of single-row btree inserts (on the contributions table those
 * inserts cost twice the load itself). The definitions are read back
 * from the catalog (pg_get_indexdef) rather than restated here, so the migrations stay the only
 * source; they are parked in `<schema>.seed_deferred_indexes` until rebuilt, so a seed cut
 * short still knows what to rebuild on the next run.
 */
import type { Db, Queryable, RegistryDefinition } from "@onecert/subgraph-kit";

type Seeded = Pick<RegistryDefinition, "dbSchema" | "tables">;

export interface ParkedIndex {
  name: string;
  /** CREATE [UNIQUE] INDEX, as pg_get_indexdef gives it. */
  definition: string;
  /** For a constraint's index: ALTER TABLE ... ADD CONSTRAINT ... USING INDEX, run after the build. */
  attach: string | null;
}

interface DeferrableIndex extends ParkedIndex {
  drop: string;
}

const PARKED = "seed_deferred_indexes";

async function ensureParkingTable(db: Queryable, schema: string): Promise<void> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.${PARKED} (name text PRIMARY KEY, definition text NOT NULL, attach text)`,
  );
}

/**
 * The indexes of the seeded tables that a seed may drop, with the statements that drop and
 * recreate them: plain indexes, and the indexes of primary keys and unique constraints that no
 * foreign key references. Those referenced (households, enterprises, real estate) stay, as the
 * foreign keys are checked row by row while loading. A constraint is rebuilt as its index first
 * and attached after, so that builds on one table need no exclusive lock and run side by side.
 * A duplicate identifier still fails the seed: the rebuilt unique index rejects it.
 */
export async function deferrableIndexes(db: Queryable, registry: Seeded): Promise<DeferrableIndex[]> {
  return db.query<DeferrableIndex>(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition,
            CASE WHEN c.oid IS NOT NULL THEN
              format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s USING INDEX %I', n.nspname, t.relname, c.conname,
                     CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END, i.relname) END AS attach,
            CASE WHEN c.oid IS NULL THEN format('DROP INDEX %I.%I', n.nspname, i.relname)
                 ELSE format('ALTER TABLE %I.%I DROP CONSTRAINT %I', n.nspname, t.relname, c.conname) END AS drop
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype <> 'f'
      WHERE n.nspname = $1 AND t.relname = ANY($2::text[])
        AND (c.oid IS NULL OR (c.contype IN ('p', 'u') AND NOT c.condeferrable))
        AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = x.indexrelid)
      ORDER BY i.relname`,
    [registry.dbSchema, [...registry.tables]],
  );
}

/**
 * Parks and drops the deferrable indexes of `registry`'s seeded tables; returns how many are
 * parked. A name parked by a seed cut short keeps its first definition: that one came from the
 * migrations, while the catalog may by now hold a half-restored state.
 */
export async function deferIndexes(db: Db, registry: Seeded): Promise<number> {
  return db.transaction(async (tx) => {
    await ensureParkingTable(tx, registry.dbSchema);
    for (const index of await deferrableIndexes(tx, registry)) {
      await tx.query(
        `INSERT INTO ${registry.dbSchema}.${PARKED} (name, definition, attach) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO NOTHING`,
        [index.name, index.definition, index.attach],
      );
      await tx.query(index.drop);
    }
    const parked = await tx.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${registry.dbSchema}.${PARKED}`,
    );
    return parked[0]?.count ?? 0;
  });
}

/**
 * Session settings of a rebuild: sorts in memory up to 512 MB instead of the server's default
 * 64 MB, and up to four parallel workers, which the server only uses for a large table.
 */
const BUILD_SETTINGS = [
  "SET LOCAL maintenance_work_mem = '512MB'",
  "SET LOCAL max_parallel_maintenance_workers = 4",
];

/**
 * Rebuilds every parked index of `registry` (side by side on PostgreSQL, a connection each),
 * then attaches the constraints and unparks them, each step in a transaction of its own: an
 * interruption anywhere leaves the definitions parked for the next run, which skips what exists.
 */
export async function restoreIndexes(db: Db, registry: Pick<Seeded, "dbSchema">): Promise<string[]> {
  const schema = registry.dbSchema;
  await ensureParkingTable(db, schema);
  const parked = await db.query<ParkedIndex>(
    `SELECT name, definition, attach FROM ${schema}.${PARKED} ORDER BY name`,
  );
  const build = (index: ParkedIndex): Promise<void> =>
    db.transaction(async (tx) => {
      for (const setting of BUILD_SETTINGS) await tx.query(setting);
      const found = await tx.query("SELECT 1 FROM pg_class WHERE oid = to_regclass($1)", [
        `${schema}.${index.name}`,
      ]);
      if (found.length === 0) await tx.query(index.definition);
    });
  if (db.driver === "pg") await settleAll(parked.map(build));
  else for (const index of parked) await build(index);
  for (const index of parked) {
    await db.transaction(async (tx) => {
      const found = await tx.query(
        "SELECT 1 FROM pg_constraint WHERE conname = $1 AND connamespace = $2::regnamespace",
        [index.name, schema],
      );
      if (index.attach && found.length === 0) await tx.query(index.attach);
      await tx.query(`DELETE FROM ${schema}.${PARKED} WHERE name = $1`, [index.name]);
    });
  }
  return parked.map((index) => index.name);
}

/** Like Promise.all, but settles every promise before rethrowing the first failure. */
export async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}

/** Fresh planner statistics: without autovacuum a seeded table is otherwise planned as empty. */
export async function analyzeTables(db: Db, registry: Seeded): Promise<void> {
  await db.exec(`ANALYZE ${registry.tables.map((table) => `${registry.dbSchema}.${table}`).join(", ")}`);
}
