import { createLogger, type Db } from "@onecert/subgraph-kit";
import { describeWith, openTestDb, TEST_REDIS_URL } from "@onecert/subgraph-kit/testing";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createNotifier } from "../notifier";
import { publishContactChange, startTestManager, testRegistry, within, type TestRegistry } from "../testing";

describeWith(["redis"], "registry supergraph source over Redis", () => {
  const logger = createLogger("registry-source-test", "silent");
  let db: Db;
  let registry: TestRegistry;
  beforeAll(async () => {
    db = await openTestDb();
    registry = await testRegistry(db);
  });
  afterAll(async () => {
    await registry.close();
    await db.close();
  });

  it("switches on a Redis notification from another replica's publish", async () => {
    const channel = `onecert:registry:test-${randomBytes(6).toString("hex")}`;
    const listening = createNotifier({ db, logger, redisUrl: TEST_REDIS_URL, channel });
    const announcing = createNotifier({ db, logger, redisUrl: TEST_REDIS_URL, channel });
    expect(listening.kind).toBe("redis");
    const other = await testRegistry(db, { notifier: announcing, bootstrap: false });
    const manager = await startTestManager(registry, listening, 600_000, logger);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const version = await publishContactChange(other.service);
      await within(5000, () => manager.versions.includes(version));
    } finally {
      await manager.stop();
      await other.close();
      await listening.close();
      await announcing.close();
    }
  });
});
