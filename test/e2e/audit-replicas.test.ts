import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditStore, verifyStore, keyIdOf } from "@onecert/audit";
import { scratchDir } from "../support/audit";
import { childEnv, drive, spawnGateway } from "../support/gateway-process";
import { startTestStack, type TestStack } from "../support/stack";
import { publicKeyFromPem } from "@onecert/subgraph-kit/suites";
import { describeWith, TEST_POSTGRES_URL } from "@onecert/subgraph-kit/testing";

describeWith(["postgres"], "two gateway processes on one PostgreSQL audit database", () => {
  /**
   * Two gateway processes write one audit chain at once: 10,000 requests, and the log holds
   * exactly the requests answered, each once, interleaved in one order that verifies. Two
   * processes cannot share an embedded database, so without DATABASE_URL this file uses the
   * PostgreSQL on 127.0.0.1:5432, and is skipped, saying so, when there is none.
   */
  process.env.DATABASE_URL ||= TEST_POSTGRES_URL;

  const TOTAL = 10_000;
  const scratch = scratchDir();
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack().catch((error: unknown) => {
      throw new Error(
        `this test needs PostgreSQL at ${process.env.DATABASE_URL}: ${(error as Error).message}`,
      );
    });
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    scratch.cleanup();
  });

  describe("two gateway replicas writing one audit chain", () => {
    it(
      "logs exactly the answered requests, once each, in one verifiable order",
      { timeout: 400_000 },
      async () => {
        const url = (t.stack.db as { url?: string }).url!;
        const env = (replica: string) =>
          childEnv(t.stack, {
            GATEWAY_DATABASE_URL: url,
            AUDIT_REPLICA: replica,
            AUDIT_SIGNING_KEY_FILE: join(scratch.dir, `${replica}.pem`),
            AUDIT_SPOOL_DIR: join(scratch.dir, `spool-${replica}`),
            AUDIT_ARCHIVE_DIR: join(scratch.dir, "archive"),
            AUDIT_CHECKPOINT_EVERY: "500",
          });
        const [a, b] = await Promise.all([spawnGateway(env("replica-a")), spawnGateway(env("replica-b"))]);
        let report;
        const started = Date.now();
        try {
          report = await drive({
            targets: [a.url, b.url],
            concurrency: 24,
            total: TOTAL,
            // One in four reads a registry; the others are authenticated requests that stay in the gateway.
            bodies: [
              {
                query: "query($id: IdNumber!) { person(idNumber: $id) { status } }",
                variables: { id: t.sample("person-one-home") },
              },
              { query: "{ __typename }" },
              { query: "query Ping { __typename }" },
              { query: "{ __typename }" },
            ],
            headers: t.headers,
            prefix: "mp",
          });
        } finally {
          a.kill("SIGTERM");
          b.kill("SIGTERM");
        }
        console.log(`drive: ${Date.now() - started} ms`);
        expect(await a.exited).toBe(0);
        expect(await b.exited).toBe(0);
        expect(report.unanswered).toBe(0);
        expect(report.answered.size).toBe(TOTAL);
        expect([...report.answered.values()].every((status) => status === 200)).toBe(true);

        const rows = await t.stack.db.query<{ request_id: string; replica: string }>(
          "SELECT request_id, replica FROM audit.records WHERE request_id LIKE 'mp-%' ORDER BY seq",
        );
        expect(rows).toHaveLength(TOTAL);
        expect(new Set(rows.map((row) => row.request_id))).toEqual(new Set(report.answered.keys()));
        const perReplica = { "replica-a": 0, "replica-b": 0 } as Record<string, number>;
        let switches = 0;
        rows.forEach((row, index) => {
          perReplica[row.replica] = (perReplica[row.replica] ?? 0) + 1;
          if (index > 0 && rows[index - 1].replica !== row.replica) switches += 1;
        });
        expect(perReplica["replica-a"]).toBeGreaterThan(0);
        expect(perReplica["replica-b"]).toBeGreaterThan(0);
        expect(perReplica["replica-a"] + perReplica["replica-b"]).toBe(TOTAL);
        expect(switches).toBeGreaterThan(1);

        const store = createAuditStore(t.stack.db, { replica: "test" });
        const outcome = await verifyStore(store);
        expect(outcome.problem).toBeUndefined();
        expect(outcome).toMatchObject({ ok: true, unsigned: 0 });
        const keys = (await store.publicKeys()).map((key) => keyIdOf(publicKeyFromPem(key.publicKey)));
        const signers = new Set((await store.checkpoints()).map((checkpoint) => checkpoint.keyId));
        expect(keys).toEqual(expect.arrayContaining([...signers]));
        expect(signers.size).toBeGreaterThan(0);
      },
    );
  });
});
