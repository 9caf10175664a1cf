import type { Db } from "./types";

/** One schema change; versions are applied in ascending order, once each. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** A data step after `sql`, in the same transaction (a backfill that needs a condition, say). */
  run?: (tx: Pick<Db, "query">) => Promise<void>;
}

const SAFE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Brings `schema` up to date. Runs in one transaction under an advisory lock so that replicas
 * starting together apply each migration exactly once.
 */
export async function migrate(db: Db, schema: string, migrations: readonly Migration[]): Promise<number[]> {
  if (!SAFE_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`onecert-migrate:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await tx.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`)).map(
        (row) => row.version,
      ),
    );
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await migration.run?.(tx);
      await tx.query(`INSERT INTO ${schema}.schema_migrations (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}

// Migrations are plain DDL without functions bodies, so a semicolon ends a statement.
function splitStatements(sql: string): string[] {
  return sql
    .split(";")
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
