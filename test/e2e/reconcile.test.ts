import { reconcileAccessLog, type ReconcileReport } from "@onecert/audit";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/stack";

// The department's own record against the gateway's: `onecert audit reconcile` lists what only
// one side holds. Here one entry is written into the registry's log by hand (what a bypass
// leaves) and one is deleted from it by a superuser (what a lost entry leaves).

const ROOT = resolve(__dirname, "../..");
const run = promisify(execFile);

let t: TestStack;
let started: Date;
let kept: string;
let deleted: string;

/** The population assertion id of the audit record of `requestId`. */
async function populationHop(requestId: string): Promise<string> {
  const [record] = await t.stack.gateway.audit!.store.db.query<{ hops: string[] }>(
    "SELECT hops FROM audit.records WHERE request_id = $1",
    [requestId],
  );
  const hop = record?.hops.find((entry) => entry.startsWith("population:"));
  if (!hop) throw new Error(`request ${requestId} has no population hop`);
  return hop.slice("population:".length);
}

beforeAll(async () => {
  started = new Date(Date.now() - 1000);
  t = await startTestStack();
  const ids: string[] = [];
  for (const subject of [t.sample("person-two-homes"), t.sample("couple-newborn-parent-a")]) {
    const reply = await t.gql(`query($id: IdNumber!) { person(idNumber: $id) { name } }`, { id: subject });
    expect(reply.errors).toBeUndefined();
    ids.push(await populationHop(reply.headers.get("x-request-id")!));
  }
  [kept, deleted] = ids;
  await t.stack.db.query(
    `INSERT INTO population.access_log (assertion_id, request_id, issuer, client_id, client_name, department, role,
       operator_id, matter_code, case_number, operation_hash, entity_keys, outcome, error_code, status)
     VALUES ('written-by-hand', 'bypass-1', 'onecert-gateway', 'cl_outsider', 'outsider', 'civil-affairs', 'window',
       NULL, 'household-registration', NULL, 'x', '{}', 'ok', NULL, 200)`,
  );
  // The log refuses deletes; a superuser switches its trigger off to delete one anyway.
  await t.stack.db.exec(`
    ALTER TABLE population.access_log DISABLE TRIGGER access_log_append_only;
    DELETE FROM population.access_log WHERE assertion_id = '${deleted}';
    ALTER TABLE population.access_log ENABLE TRIGGER access_log_append_only;
  `);
}, 120_000);

afterAll(() => t?.stop());

function expectBothFound(report: ReconcileReport) {
  expect(report.registryOnly.map((entry) => [entry.assertionId, entry.requestId, entry.clientName])).toEqual([
    ["written-by-hand", "bypass-1", "outsider"],
  ]);
  expect(report.gatewayOnly.map((entry) => entry.assertionId)).toEqual([deleted]);
  expect(report.gatewayOnly[0]).toMatchObject({
    clientName: "e2e-window",
    matterCode: "subsistence-allowance-review",
  });
  expect(report.matched).toBeGreaterThanOrEqual(1);
}

describe("reconciling a registry's access log with the gateway's trail", () => {
  it("lists the entry only the registry holds and the one only the gateway holds", async () => {
    const report = await reconcileAccessLog({
      audit: t.stack.gateway.audit!.store.db,
      registry: t.stack.db,
      subgraph: "population",
      schema: "population",
      from: started,
      to: new Date(Date.now() + 1000),
    });
    expectBothFound(report);
    expect(report.gatewayOnly.concat(report.registryOnly).map((entry) => entry.assertionId)).not.toContain(
      kept,
    );
  });

  it("finds nothing to report for a registry both sides agree on", async () => {
    const report = await reconcileAccessLog({
      audit: t.stack.gateway.audit!.store.db,
      registry: t.stack.db,
      subgraph: "legal-entity",
      schema: "legal_entity",
      from: started,
      to: new Date(Date.now() + 1000),
    });
    expect(report).toMatchObject({ registryOnly: [], gatewayOnly: [] });
  });

  // The command reads both databases itself: it needs them on a server, not embedded in this process.
  const url = process.env.DATABASE_URL;
  (url ? it : it.skip)(
    url
      ? "does the same as `onecert audit reconcile`, exiting 1"
      : "SKIPPED, needs DATABASE_URL: `onecert audit reconcile` as a command",
    async () => {
      const db = t.stack.db as typeof t.stack.db & { url?: string };
      const args = ["gateway/cli/bin/onecert.cjs", "audit", "reconcile", "--registry", "population"];
      args.push("--from", started.toISOString(), "--to", new Date(Date.now() + 1000).toISOString(), "--json");
      const failed = await run(process.execPath, args, {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: db.url },
      }).then(
        () => null,
        (error: { code: number; stdout: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expectBothFound(JSON.parse(failed!.stdout) as ReconcileReport);
    },
  );
});
