import { createLogger, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotifier, type VersionNotifier } from "../notifier";
import { publishContactChange, startTestManager, testRegistry, within, type TestRegistry } from "../testing";

const logger = createLogger("registry-source-test", "silent");
const silent: VersionNotifier = {
  kind: "none",
  announce: async () => undefined,
  subscribe: async () => async () => undefined,
  close: async () => undefined,
};

let db: Db;
let registry: TestRegistry;
const startManager = (notifier: VersionNotifier, pollIntervalMs: number) =>
  startTestManager(registry, notifier, pollIntervalMs, logger);
const publish = (through = registry.service) => publishContactChange(through);

beforeAll(async () => {
  db = await openTestDb();
  registry = await testRegistry(db);
});
afterAll(async () => {
  await registry.close();
  await db.close();
});

describe("registry supergraph source", () => {
  it("starts from the current version and polls for newer ones when nothing notifies", async () => {
    const current = await registry.store.current();
    const manager = await startManager(silent, 200);
    try {
      expect(manager.initial).toBe(current!.supergraphSdl);
      expect(manager.versions).toEqual([current!.version]);
      const version = await publish();
      await within(5000, () => manager.versions.includes(version));
      expect(manager.updates).toHaveLength(1);
    } finally {
      await manager.stop();
    }
  });

  it("switches on a database notification long before its next poll", async () => {
    const notifier = createNotifier({ db, logger });
    expect(notifier.kind).toBe("postgres");
    const manager = await startManager(notifier, 600_000);
    try {
      // The first load happens on a timer after initialize(); then only a notification can help.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const version = await publish();
      await within(5000, () => manager.versions.includes(version));
    } finally {
      await manager.stop();
    }
  });

  it("stops looking once cleaned up", async () => {
    const manager = await startManager(silent, 100);
    await manager.stop();
    const seen = manager.versions.length;
    await publish();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(manager.versions).toHaveLength(seen);
  });
});
