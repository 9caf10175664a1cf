import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { createAuditStore, verifyStore } from "@onecert/audit";
import { superviseWriter } from "@onecert/audit/testing";
import {
  startAuditWriter,
  type AuditWriter,
  type ThreadWriter,
  type WriterInit,
} from "@onecert/audit/testing";
import { until } from "../support/cache";
import { sampleEntry, scratchDir } from "../support/audit";

/**
 * The audit writer thread dying under a running gateway: records fail (the request fails
 * closed) until a new thread has started, then the chain goes on and still verifies. Against
 * PostgreSQL with DATABASE_URL, else an embedded database in a scratch directory.
 */
describe("a writer thread that dies", () => {
  const scratch = scratchDir();
  let close: () => Promise<void> = async () => undefined;
  let init: WriterInit;

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    let location: WriterInit["location"] = { dataDir: join(scratch.dir, "pglite") };
    if (process.env.DATABASE_URL) {
      const db = await openTestDb();
      location = { url: db.url! };
      close = () => db.close();
    }
    init = {
      location,
      signingKey: { store: "file", pem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() },
      replica: "test",
      checkpointEvery: 1000,
      batchMax: 256,
      batchWaitMs: 0,
    };
  });
  afterAll(async () => {
    await close();
    scratch.cleanup();
  });

  it("is restarted, and the chain goes on from where it stopped", async () => {
    const threads: ThreadWriter[] = [];
    const events: string[] = [];
    const logger = {
      error: () => void events.push("stopped"),
      warn: () => void events.push("retry"),
      info: () => void events.push("restarted"),
    };
    const writer: AuditWriter = await superviseWriter(
      async (onDeath) => {
        const thread = await startAuditWriter(init, 5000, onDeath);
        threads.push(thread);
        return thread;
      },
      { logger: logger, firstDelayMs: 50 },
    );
    try {
      await writer.record(sampleEntry(1));
      await threads[0].terminate();
      await expect(writer.record(sampleEntry(2))).rejects.toThrow(/stopped/);
      const third = sampleEntry(3);
      await until(
        () =>
          writer.record(third).then(
            () => true,
            () => false,
          ),
        "the restarted writer to take a record",
        30_000,
      );
      expect(threads).toHaveLength(2);
      expect(events).toEqual(["stopped", "restarted"]);
      const store = createAuditStore(writer.db, { replica: "test" });
      const ids = (
        await writer.db.query<{ request_id: string }>("SELECT request_id FROM audit.records ORDER BY seq")
      ).map((row) => row.request_id);
      expect(ids).toEqual(["req-1", "req-3"]);
      expect(await verifyStore(store)).toMatchObject({ ok: true });
    } finally {
      await writer.close();
    }
    // Closed, it stays closed: no thread is started again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(threads).toHaveLength(2);
  });
});
