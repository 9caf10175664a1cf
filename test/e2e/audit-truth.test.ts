import { Client } from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWith, TEST_POSTGRES_URL } from "@onecert/subgraph-kit/testing";
import { scratchDir, testAuditConfig } from "../support/audit";
import { drive } from "../support/gateway-process";
import { startTestStack, type TestStack } from "../support/stack";

describeWith(["postgres"], "the audit record of a request whose commit timed out", () => {
  /**
   * A record's status is the one the caller received. While the chain is locked (a slow or
   * stuck database), records wait past AUDIT_COMMIT_TIMEOUT_MS and their requests are answered
   * 503 AUDIT_UNAVAILABLE; once it is free the waiting records commit after all, saying 200, and
   * the refusal written after each supersedes it. Holding a lock needs a second connection to
   * the audit database, so this file runs on PostgreSQL (127.0.0.1:5432 without DATABASE_URL).
   */
  process.env.DATABASE_URL ||= TEST_POSTGRES_URL;
  const scratch = scratchDir();
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack({
      gateway: { audit: testAuditConfig(scratch.dir, { commitTimeoutMs: 300 }) },
    });
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    scratch.cleanup();
  });

  it("ends with what the caller was answered: 0 records whose status differs", async () => {
    const url = (t.stack.db as { url?: string }).url!;
    const locker = new Client({ connectionString: url });
    await locker.connect();
    const lock: { held?: Promise<void>; released?: boolean; refused?: boolean } = {};
    const report = await drive({
      targets: [t.stack.gateway.url],
      concurrency: 8,
      total: 100_000,
      bodies: [
        {
          query: "query($id: IdNumber!) { person(idNumber: $id) { status } }",
          variables: { id: t.sample("person-showcase") },
        },
      ],
      headers: t.headers,
      prefix: "truth",
      stop: (progress) => {
        if (!lock.held && progress.answered.size >= 50) {
          lock.held = (async () => {
            await locker.query("BEGIN");
            await locker.query("LOCK TABLE audit.chain IN EXCLUSIVE MODE");
            // Held until a caller has been refused, at least 1.2 s and at most 15 s: the writer
            // notices overdue commits once a second, later on a machine whose event loop lags.
            const started = Date.now();
            while (Date.now() - started < 15_000 && !(lock.refused && Date.now() - started >= 1200))
              await new Promise((resolve) => setTimeout(resolve, 50));
            await locker.query("COMMIT");
            lock.released = true;
          })();
        }
        if (lock.held && !lock.refused) lock.refused = [...progress.answered.values()].includes(503);
        // Until the lock has come and gone: on a loaded machine taking it can outlast 350 answers.
        return progress.answered.size >= 400 && lock.released === true;
      },
    });
    await lock.held;
    await locker.end();
    const statuses = [...report.answered.values()];
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    // Let the records that waited, and the refusals after them, commit.
    const db = t.stack.gateway.audit!.store.db;
    const lastOf = async () => {
      const rows = await db.query<{ request_id: string; status: number; error_code: string | null }>(
        `SELECT DISTINCT ON (request_id) request_id, status, error_code FROM audit.records
         WHERE request_id LIKE 'truth-%' ORDER BY request_id, seq DESC`,
      );
      return new Map(rows.map((row) => [row.request_id, row]));
    };
    let last = await lastOf();
    for (let i = 0; i < 50 && last.size < report.answered.size; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await lastOf();
    }
    const differing = [...report.answered].filter(([id, status]) => Number(last.get(id)?.status) !== status);
    expect(differing).toEqual([]);
    for (const [id, status] of report.answered)
      if (status === 503) expect(last.get(id)?.error_code).toBe("AUDIT_UNAVAILABLE");
  });
});
