import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { Client } from "pg";
import { accessMigrations, ACCESS_SCHEMA, createGrantStore, createIdentityStore } from "@onecert/access";
import { README_MATTER, REGISTRIES } from "@onecert/cli";
import { migrate, openDb } from "@onecert/subgraph-kit";
import { seedInfo } from "@onecert/synthetic-world";
import { BENCH_GRANT_FIELDS } from "../scenario";
import { ONECERT, ROOT } from "./processes";

// What the deployed benchmark needs before any service starts: PostgreSQL and Redis (refused
// loudly when missing), the registries' database seeded once, a fresh gateway database with
// the bench's window clients in it, and the subjects to ask about.

/** The tests' default (TEST_POSTGRES_URL in subgraphs/kit/src/testing): DATABASE_URL, else the machine's. */
export const POSTGRES_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

const withDatabase = (url: string, name: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};

async function admin<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

function redisUp(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect(Number(port || 6379), hostname || "127.0.0.1");
    socket.setTimeout(1000);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => (socket.destroy(), done(data.toString().startsWith("+PONG"))));
    socket.once("error", () => done(false));
    socket.once("timeout", () => (socket.destroy(), done(false)));
  });
}

/** Throws, saying what is missing, unless PostgreSQL (and Redis when `needRedis`) answer. */
export async function requireServices(needRedis: boolean): Promise<void> {
  const problems: string[] = [];
  await admin("SELECT 1").catch((error: unknown) =>
    problems.push(
      `PostgreSQL at ${POSTGRES_URL.replace(/\/\/[^@]*@/, "//")} is not reachable (${String(error)})`,
    ),
  );
  if (needRedis && !(await redisUp(REDIS_URL))) problems.push(`Redis at ${REDIS_URL} is not reachable`);
  if (problems.length) throw new Error(`deployed benchmark needs: ${problems.join("; ")}`);
}

/** The registries' database for `persons`, seeded with `onecert seed` unless it already holds that world. */
export async function registriesDatabase(persons: number, env: Record<string, string>): Promise<string> {
  const name = `onecert_bench_${persons}`;
  const [exists] = await admin("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (!exists) await admin(`CREATE DATABASE ${name}`);
  const url = withDatabase(POSTGRES_URL, name);
  const db = openDb({ url, maxConnections: 2 });
  try {
    // A registry whose schema is not there yet has no world either.
    const infos = await Promise.all(REGISTRIES.map((registry) => seedInfo(db, registry).catch(() => null)));
    if (infos.every((info) => info?.persons === persons)) return url;
  } finally {
    await db.close();
  }
  console.error(`seeding ${persons} persons into ${name} (onecert seed)...`);
  const seeded = spawnSync(process.execPath, [ONECERT, "seed", "--persons", String(persons)], {
    cwd: ROOT,
    env: { ...env, DATABASE_URL: url },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (seeded.status !== 0) throw new Error(`onecert seed failed (${seeded.status})`);
  return url;
}

/** A fresh database for the gateways and the certificates service; `drop()` removes it. */
export async function gatewayDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `onecert_bench_gateway_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(POSTGRES_URL, name),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined),
  };
}

/** The check scenario's matter and what its certificates read (masked). */
export const CHECK_MATTER = "public-rental-housing";
const CHECK_FIELDS = ["Person.realEstate", "RealEstate.*", "Person.socialInsurance", "SocialInsurance.*"];

/**
 * Provisions, before any gateway starts, the window clients the scenarios ask as, straight in
 * the gateway's database (as test/support/processes.ts prepareGatewayDb does): one with clear
 * grants for the README query (BENCH_GRANT_FIELDS, as benchWindow), one for the check's matter.
 */
export async function provisionWindows(
  url: string,
): Promise<{ readme: Record<string, string>; check: Record<string, string> }> {
  const db = openDb({ url, maxConnections: 2 });
  try {
    await migrate(db, ACCESS_SCHEMA, accessMigrations);
    const identity = createIdentityStore(db);
    const grants = createGrantStore(db, { fieldExists: () => true, matterExists: () => true });
    const adminClient = await identity.createClient({
      name: "bench-admin",
      role: "admin",
      department: "bench",
    });
    const window = async (name: string, fields: string[], matter: string, clearValues: boolean) => {
      const created = await identity.createClient({
        name,
        role: "window",
        department: "government-service-center",
        rateLimitPerMinute: 10_000_000,
      });
      const requested = await grants.request({
        clientId: created.client.id,
        fields,
        matters: [matter],
        clearValues,
        validUntil: new Date(Date.now() + 86_400_000),
        reason: "deployed benchmark",
        requestedBy: adminClient.client.id,
      });
      await grants.approve(requested.id, adminClient.client.id);
      return {
        authorization: `Bearer ${created.apiKey}`,
        "x-operator-id": "bench-clerk",
        "x-matter-code": matter,
      };
    };
    return {
      readme: await window("bench-window", BENCH_GRANT_FIELDS, README_MATTER, true),
      check: await window("bench-check-window", CHECK_FIELDS, CHECK_MATTER, false),
    };
  } finally {
    await db.close();
  }
}

/** Up to `count` ACTIVE persons from `offset` on, in ID-number order. */
export async function subjects(url: string, offset: number, count: number): Promise<string[]> {
  const db = openDb({ url, maxConnections: 1 });
  try {
    const rows = await db.query<{ id_number: string }>(
      "SELECT id_number FROM population.persons WHERE status = 'ACTIVE' ORDER BY id_number OFFSET $1 LIMIT $2",
      [offset, count],
    );
    return rows.map((row) => row.id_number);
  } finally {
    await db.close();
  }
}
