import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { migrate, openDb, type Db } from "./db";
import type { RegistryDefinition } from "./registry";
import { seedRegistries } from "./seed";
import { startRegistry, type RunningService } from "./server";
import { samples } from "./synth";
import type { WorldOptions } from "./synth/types";

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

/** A GraphQL reply as a test reads it. */
export interface GraphQLReply<T> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** POSTs one GraphQL operation to `url` and returns the parsed reply. */
export async function postGraphQL<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLReply<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLReply<T>, "status" | "headers">;
  return { status: response.status, headers: response.headers, ...body };
}

/** Runs `fn` and returns its result with the SQL statements `db` sent meanwhile. */
export async function countingStatements<T>(
  db: Db,
  fn: () => Promise<T>,
): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = db.onStatement((sql) => statements.push(sql));
  try {
    return { result: await fn(), statements };
  } finally {
    stop();
  }
}

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
