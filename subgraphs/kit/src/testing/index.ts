// Test helpers of the toolkit (the "./testing" entry): never imported by production code.
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { openDb, type Db } from "../db";

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
  return postBody<T>(url, JSON.stringify({ query, variables }), headers);
}

/** POSTs `body` as it is (what a signed request's assertion covers) and returns the parsed reply. */
export async function postBody<T>(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<GraphQLReply<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const parsed = (await response.json()) as Omit<GraphQLReply<T>, "status" | "headers">;
  return { status: response.status, headers: response.headers, ...parsed };
}

/**
 * Runs `fn` and returns the SQL statements it sent to `db`: `statements` are those reading or
 * changing data, `accessLog` the writes of the registry's own access log (every verified request
 * is recorded, also one refused before its data is read), so "no SQL" means both are empty.
 */
export async function countingStatements<T>(
  db: Db,
  fn: () => Promise<T>,
): Promise<{ result: T; statements: string[]; accessLog: string[] }> {
  const statements: string[] = [];
  const accessLog: string[] = [];
  const stop = db.onStatement((sql) =>
    (/^INSERT INTO \w+\.access_log /.test(sql) ? accessLog : statements).push(sql),
  );
  try {
    return { result: await fn(), statements, accessLog };
  } finally {
    stop();
  }
}

export * from "./events";
export * from "./processes";
export * from "./tcp-relay";
export * from "./services";
export * from "./hop";
