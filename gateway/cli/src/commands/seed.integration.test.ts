import { createLogger } from "@onecert/subgraph-kit";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { openCacheStore, loadGatewayConfig } from "@onecert/gateway";
import type { Cache } from "@onecert/gateway";
import { dropSharedCache } from "./seed";
import { describeWith, TEST_REDIS_URL } from "@onecert/subgraph-kit/testing";

describeWith(["redis"], "a reseed on a shared Redis cache", () => {
  const REDIS_URL = TEST_REDIS_URL;
  const env = { REDIS_URL, CACHE_KEY_PREFIX: `onecert:test-${randomBytes(6).toString("hex")}:` };
  const config = loadGatewayConfig(env);
  const stores: Cache[] = [];
  afterAll(() => Promise.all(stores.map((store) => store.close())));

  /** A gateway's view of the shared cache, once it has adopted the shared generation. */
  async function gatewayStore(): Promise<Cache> {
    const store = openCacheStore(config.cache, REDIS_URL, createLogger("test", "silent"));
    stores.push(store);
    const probe = `e:Probe:x:${randomBytes(4).toString("hex")}`;
    const deadline = Date.now() + 10_000;
    while ((await store.get([probe]))[0] !== "1") {
      if (Date.now() > deadline) throw new Error("the cache never took a write");
      await store.set(probe, "1", { ttlSeconds: 60 });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return store;
  }

  describe("a reseed", () => {
    it("drops what the shared Redis cache holds for every gateway on it", async () => {
      const key = "e:Person:x:990101199001010012";
      const [one, other] = [await gatewayStore(), await gatewayStore()];
      await one.set(key, "old", { ttlSeconds: 60 });
      expect((await other.get([key]))[0]).toBe("old");
      expect(await dropSharedCache(env)).toBe(true);
      // Running gateways adopt the new generation within a second; a new one starts on it.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await one.get([key]))[0]).toBeUndefined();
      expect((await other.get([key]))[0]).toBeUndefined();
      expect((await (await gatewayStore()).get([key]))[0]).toBeUndefined();
    });

    it("says so when there is no shared cache to drop", async () => {
      expect(await dropSharedCache({})).toBe(false);
    });
  });
});
