import { migrate, openDb, type Db } from "@onecert/subgraph-kit";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessMigrations, ACCESS_SCHEMA, createIdentityStore } from "@onecert/access";
import { createAuditStore, verifyStore } from "@onecert/audit";
import { scratchDir } from "../support/audit";
import { copyHopKeys } from "../support/processes";
import { childEnv, drive, spawnGateway, type GatewayProcess } from "../support/gateway-process";
import { startTestStack, TEST_MATTER, type TestStack } from "../support/stack";

/**
 * Durability: a gateway process killed with SIGKILL under load, and one stopped with SIGTERM
 * under load, leave in the log every request whose response was sent, and the log verifies.
 * With DATABASE_URL the gateway writes to PostgreSQL; without it to an embedded database
 * directory of its own, which the test opens after the process is gone.
 */

const QUERY = "query($id: IdNumber!) { person(idNumber: $id) { status } }";
const scratch = scratchDir();
let t: TestStack;
let headers: Record<string, string>;
let databaseEnv: Record<string, string>;
const pglite = !process.env.DATABASE_URL;
const dataDir = join(scratch.dir, "gateway-db");

/** The gateway's audit database as the test reads it (the embedded one only while no gateway runs). */
async function withGatewayDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (!pglite) return fn(t.stack.db);
  const db = openDb({ dataDir: `${dataDir}-audit` });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function logged(db: Db, prefix: string): Promise<Set<string>> {
  const rows = await db.query<{ request_id: string }>(
    "SELECT request_id FROM audit.records WHERE request_id LIKE $1",
    [`${prefix}-%`],
  );
  return new Set(rows.map((row) => row.request_id));
}

const start = (replica: string) =>
  spawnGateway(
    childEnv(t.stack, {
      ...databaseEnv,
      AUDIT_REPLICA: replica,
      AUDIT_SIGNING_KEY_FILE: join(scratch.dir, "key.pem"),
      AUDIT_SPOOL_DIR: join(scratch.dir, "spool"),
      AUDIT_ARCHIVE_DIR: join(scratch.dir, "archive"),
      AUDIT_CHECKPOINT_EVERY: "200",
      // Durability is under test, not load shedding: on a loaded CI machine the child's event loop
      // can lag past the shedding bound and answer 503 OVERLOADED, which is not a lost request.
      MAX_EVENT_LOOP_DELAY_MS: "0",
    }),
  );

beforeAll(async () => {
  t = await startTestStack();
  if (pglite) {
    // The child's own embedded database, with a window client in it, made before the child runs.
    const db = openDb({ dataDir });
    await migrate(db, ACCESS_SCHEMA, accessMigrations);
    // The registries trust the stack's hop keys; a replica of that gateway shares them.
    await copyHopKeys(t.stack.db, db);
    const { apiKey } = await createIdentityStore(db).createClient({
      name: "crash-window",
      role: "window",
      department: "government-service-center",
    });
    await db.close();
    headers = { authorization: `Bearer ${apiKey}`, "x-operator-id": "clerk-9", "x-matter-code": TEST_MATTER };
    databaseEnv = { GATEWAY_PGLITE_DATA_DIR: dataDir };
  } else {
    headers = t.headers;
    databaseEnv = { GATEWAY_DATABASE_URL: (t.stack.db as { url?: string }).url! };
  }
}, 180_000);

afterAll(async () => {
  await t?.stop();
  scratch.cleanup();
});

describe("durability of the audit log", () => {
  it("loses no answered request when the gateway is killed with SIGKILL under load", async () => {
    const gateway: GatewayProcess = await start("crash-kill");
    let killed = false;
    const report = await drive({
      targets: [gateway.url],
      concurrency: 16,
      total: 100_000,
      bodies: [{ query: QUERY, variables: { id: t.sample("person-showcase") } }],
      headers,
      prefix: "kill",
      stop: (progress) => {
        if (!killed && progress.answered.size >= 400) {
          killed = true;
          gateway.kill("SIGKILL");
        }
        return killed;
      },
    });
    expect(await gateway.exited).toBeNull();
    expect(report.answered.size).toBeGreaterThanOrEqual(400);
    expect([...report.answered.values()].every((status) => status === 200)).toBe(true);
    await withGatewayDb(async (db) => {
      const inLog = await logged(db, "kill");
      const missing = [...report.answered.keys()].filter((id) => !inLog.has(id));
      expect(missing).toEqual([]);
      const outcome = await verifyStore(createAuditStore(db, { replica: "test" }));
      expect(outcome.problem).toBeUndefined();
      expect(outcome.ok).toBe(true);
    });
    // Restarted on the same database, the gateway signs the head the crash left unsigned.
    const again = await start("crash-restart");
    again.kill("SIGTERM");
    expect(await again.exited).toBe(0);
    await withGatewayDb(async (db) => {
      expect(await verifyStore(createAuditStore(db, { replica: "test" }))).toMatchObject({
        ok: true,
        unsigned: 0,
      });
    });
  });

  it("loses no answered request when the gateway is stopped with SIGTERM under load", async () => {
    const gateway = await start("crash-term");
    let stopping = false;
    const report = await drive({
      targets: [gateway.url],
      concurrency: 16,
      total: 100_000,
      bodies: [{ query: QUERY, variables: { id: t.sample("person-two-homes") } }],
      headers,
      prefix: "term",
      stop: (progress) => {
        if (!stopping && progress.answered.size >= 300) {
          stopping = true;
          gateway.kill("SIGTERM");
        }
        return stopping && progress.unanswered > 0;
      },
    });
    expect(await gateway.exited).toBe(0);
    expect([...report.answered.values()].filter((status) => status !== 200)).toEqual([]);
    await withGatewayDb(async (db) => {
      const inLog = await logged(db, "term");
      expect([...report.answered.keys()].filter((id) => !inLog.has(id))).toEqual([]);
      // A clean stop signs the head: nothing is left unsigned.
      expect(await verifyStore(createAuditStore(db, { replica: "test" }))).toMatchObject({
        ok: true,
        unsigned: 0,
      });
    });
  });
});
