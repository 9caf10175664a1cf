import { DATA_DIR, migrate, openDb, Refusal, type Db } from "@onecert/subgraph-kit";
import { resolve } from "node:path";
import {
  accessMigrations,
  ACCESS_SCHEMA,
  createDepartmentStore,
  departmentMigrations,
  DEPARTMENTS_SCHEMA,
  SHIPPED_DEPARTMENTS,
  type DepartmentStore,
} from "@onecert/access";
import { gatewayUrl } from "./admin-client";
import { UsageError } from "./options";

async function answers(base: string): Promise<boolean> {
  return fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
}

/**
 * Runs `work` on the gateway's own database, for the first admin client and user of a new
 * deployment when no gateway runs (`--direct`): env GATEWAY_DATABASE_URL, then DATABASE_URL,
 * else the embedded one in GATEWAY_PGLITE_DATA_DIR or .data/pglite, which a running gateway
 * would hold. Its identity and departments schemas are migrated first, as the gateway does at
 * start; a refusal is printed for `command` and exits 1.
 */
export async function onGatewayDb(
  command: string,
  work: (db: Db, departments: DepartmentStore) => Promise<void>,
): Promise<number> {
  const url = process.env.GATEWAY_DATABASE_URL || process.env.DATABASE_URL || undefined;
  if (!url && (await answers(gatewayUrl()))) {
    throw new UsageError(
      `a gateway answers at ${gatewayUrl()} and may hold the embedded database; ` +
        `stop it first or run \`onecert ${command}\` through it (without --direct)`,
    );
  }
  const db = openDb({ url, dataDir: process.env.GATEWAY_PGLITE_DATA_DIR || resolve(DATA_DIR, "pglite") });
  try {
    await migrate(db, ACCESS_SCHEMA, accessMigrations);
    // The first admin of a new deployment names a seeded department.
    await migrate(db, DEPARTMENTS_SCHEMA, departmentMigrations);
    const departments = createDepartmentStore(db);
    await departments.seed(SHIPPED_DEPARTMENTS);
    await work(db, departments);
    return 0;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    process.stderr.write(`onecert ${command}: ${error.message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}
