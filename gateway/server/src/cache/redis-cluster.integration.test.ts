import { createLogger } from "@onecert/subgraph-kit";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCacheConfig } from "./config";
import { openCacheStore } from ".";
import { describeWith } from "@onecert/subgraph-kit/testing";

describeWith(["redis-server"], "the Redis Cluster cache", () => {
  /**
   * The cache on a real three-node Redis Cluster of its own (redis-server in cluster mode, on free
   * ports): entries, tag sets and the generation land in different slots, so nothing may need
   * them on one node (no MULTI, MGET or multi-key DEL across slots).
   */
  const nodes: ChildProcess[] = [];
  const ports: number[] = [];
  let dir = "";

  const freePort = () =>
    new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "onecert-cluster-"));
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      ports.push(port);
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--save", ""];
      args.push("--appendonly", "no", "--cluster-config-file", join(dir, `nodes-${port}.conf`), "--dir", dir);
      nodes.push(spawn("redis-server", args, { stdio: "ignore" }));
    }
    for (const port of ports) {
      for (
        let tries = 0;
        spawnSync("redis-cli", ["-p", String(port), "ping"])
          .stdout?.toString()
          .trim() !== "PONG";
        tries += 1
      ) {
        if (tries > 100) throw new Error(`redis-server on ${port} did not start`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const created = spawnSync("redis-cli", [
      "--cluster",
      "create",
      ...ports.map((p) => `127.0.0.1:${p}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    if (created.status !== 0)
      throw new Error(`cluster create failed: ${created.stdout.toString()}${created.stderr.toString()}`);
    for (
      let tries = 0;
      !spawnSync("redis-cli", ["-p", String(ports[0]), "cluster", "info"])
        .stdout.toString()
        .includes("cluster_state:ok");
      tries += 1
    ) {
      if (tries > 200) throw new Error("the cluster did not come up");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    for (const node of nodes) node.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  describe("RedisCache on Redis Cluster", () => {
    it("stores, tags, invalidates and clears across slots", async () => {
      const problems: string[] = [];
      const config = loadCacheConfig(
        { REDIS_CLUSTER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(",") },
        problems,
      );
      expect(problems).toEqual([]);
      const cache = openCacheStore(config, undefined, createLogger("test", "silent"));
      try {
        expect(cache.kind).toBe("redis-cluster");
        for (let tries = 0; ; tries += 1) {
          await cache.set("e:Probe:x:1", "1", { ttlSeconds: 5 });
          if ((await cache.get(["e:Probe:x:1"]))[0] === "1") break;
          if (tries > 200) throw new Error("the cluster cache never became ready");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const keys = Array.from({ length: 20 }, (_, i) => `e:Person:p:${i}`);
        for (const [i, key] of keys.entries()) {
          await cache.set(key, `v${i}`, { ttlSeconds: 60, tags: [`Person:${i % 2}`, "Person:*"] });
        }
        expect(await cache.get(keys)).toEqual(keys.map((_, i) => `v${i}`));
        expect(await cache.deleteByTag(["Person:0"])).toBe(10);
        expect(await cache.get(keys)).toEqual(keys.map((_, i) => (i % 2 === 0 ? undefined : `v${i}`)));
        expect(await cache.delete(["e:Person:p:1", "e:Person:p:3"])).toBe(2);
        await cache.clear();
        expect((await cache.get(keys)).every((value) => value === undefined)).toBe(true);
        expect(cache.degraded).toBe(false);
      } finally {
        await cache.close();
      }
    });
  });
});
