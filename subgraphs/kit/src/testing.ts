import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { openDb } from "./db";
import type { Db } from "./db";

/**
 * A database of its own for one test file: with DATABASE_URL a fresh PostgreSQL database created
 * next to it (dropped again on close), without it a private in-memory embedded database. Test
 * files run in parallel, so they never share registry schemas.
 */
export async function openTestDb(): Promise<Db & { url?: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) return openDb();
  const name = `onecert_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(base, `CREATE DATABASE ${name}`);
  const url = withDatabase(base, name);
  const db = openDb({ url, maxConnections: 5 });
  return {
    ...db,
    url,
    async close() {
      await db.close();
      await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
