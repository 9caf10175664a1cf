import type { GraphQLDataSource } from "@apollo/gateway";
import { createLogger, openTestDb, type Db } from "@onecert/subgraph-kit";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotifier, type VersionNotifier } from "../registry/notifier";
import { actor, testRegistry, type TestRegistry } from "../registry/testing";
import { registrySupergraphManager } from "./registry-source";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const logger = createLogger("registry-source-test", "silent");
const silent: VersionNotifier = {
  kind: "none",
  announce: async () => undefined,
  subscribe: async () => async () => undefined,
  close: async () => undefined,
};

let db: Db;
let registry: TestRegistry;
let counter = 0;

beforeAll(async () => {
  db = await openTestDb();
  registry = await testRegistry(db);
});
afterAll(async () => {
  await registry.close();
  await db.close();
});

/** A gateway stand-in: records every supergraph the manager hands over and every version it announced. */
async function startManager(notifier: VersionNotifier, pollIntervalMs: number) {
  const updates: string[] = [];
  const versions: number[] = [];
  const manager = registrySupergraphManager({
    store: registry.store,
    notifier,
    pollIntervalMs,
    logger,
    onVersion: (version) => versions.push(version.version),
  });
  const started = await manager.initialize({
    update: (sdl) => void updates.push(sdl),
    healthCheck: async () => undefined,
    getDataSource: () => ({}) as GraphQLDataSource,
  });
  return { initial: started.supergraphSdl, updates, versions, stop: () => started.cleanup!() };
}

/** Publishes a change of population's contact: a new version with the same supergraph SDL. */
async function publish(through = registry.service) {
  counter += 1;
  const change = { kind: "update" as const, subgraph: { name: "population", contact: `desk ${counter}` } };
  return (await through.publish(change, actor("admin", "data"))).version.version;
}

async function within(ms: number, probe: () => boolean): Promise<number> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

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

  it("switches on a Redis notification from another replica's publish", async () => {
    const channel = `onecert:registry:test-${randomBytes(6).toString("hex")}`;
    const listening = createNotifier({ db, logger, redisUrl: REDIS_URL, channel });
    const announcing = createNotifier({ db, logger, redisUrl: REDIS_URL, channel });
    expect(listening.kind).toBe("redis");
    const other = await testRegistry(db, { notifier: announcing, bootstrap: false });
    const manager = await startManager(listening, 600_000);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const version = await publish(other.service);
      await within(5000, () => manager.versions.includes(version));
    } finally {
      await manager.stop();
      await other.close();
      await listening.close();
      await announcing.close();
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
