import { createGrantStore, accessMigrations, ACCESS_SCHEMA, createIdentityStore } from "@onecert/access";
import { KEYRING_SCHEMA, keyringMigrations, migrate, openDb, type Db } from "@onecert/subgraph-kit";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export { freePort, ping, startChild, startRedis, type Child } from "@onecert/subgraph-kit/testing";

/** Copies the hop keys of one gateway database into another, as replicas of one gateway share them. */
export async function copyHopKeys(from: Db, to: Db): Promise<void> {
  await migrate(to, KEYRING_SCHEMA, keyringMigrations);
  const keys = await from.query<Record<string, unknown>>("SELECT * FROM keyring.keys");
  for (const key of keys) {
    const columns = Object.keys(key);
    await to.query(
      `INSERT INTO keyring.keys (${columns.join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
      columns.map((column) => key[column]),
    );
  }
}

/** An embedded gateway database for a child process, holding one window client with a clear grant. */
export async function prepareGatewayDb(
  fields: string[],
  matter: string,
  /** The database of the stack whose registries it calls: its hop keys are copied, as replicas share them. */
  keysFrom?: Db,
): Promise<{ dataDir: string; apiKey: string; cleanup(): void }> {
  const dataDir = mkdtempSync(join(tmpdir(), "onecert-gateway-"));
  const db = openDb({ dataDir });
  try {
    await migrate(db, ACCESS_SCHEMA, accessMigrations);
    if (keysFrom) await copyHopKeys(keysFrom, db);
    const identity = createIdentityStore(db);
    const grants = createGrantStore(db, { fieldExists: () => true, matterExists: () => true });
    const admin = await identity.createClient({
      name: "child-admin",
      role: "admin",
      department: "data-administration-bureau",
    });
    const window = await identity.createClient({
      name: "child-window",
      role: "window",
      department: "government-service-center",
    });
    const requested = await grants.request({
      clientId: window.client.id,
      fields,
      matters: [matter],
      clearValues: true,
      validUntil: new Date(Date.now() + 86_400_000),
      reason: "two-gateway test",
      requestedBy: admin.client.id,
    });
    await grants.approve(requested.id, admin.client.id);
    return {
      dataDir,
      apiKey: window.apiKey,
      cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
    };
  } finally {
    await db.close();
  }
}
