import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGatewayConfig, type GatewayConfig, startGateway, type RunningGateway } from "@onecert/gateway";
import { GATEWAY_JWKS_PATH, SCHEMA_DIR, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { REGISTRY_DEFAULTS } from "@onecert/schema-registry";
import {
  MARRIAGE_DEPARTMENT,
  MARRIAGE_MATTER,
  marriageMattersDir,
  marriageSdl,
  startMarriageRegistry,
  type RunningMarriageRegistry,
} from "../fixtures/marriage/server";
import { postGraphQL, startTestStack, TEST_WORLD, type TestStack } from "../support/stack";
import { describeWith, TEST_REDIS_URL } from "@onecert/subgraph-kit/testing";

describeWith(["redis"], "registry reloads across replicas", () => {
  /**
   * Two gateway replicas on one registry under steady load: every publish reaches both within
   * 5 s (one hears Redis pub/sub, the other PostgreSQL LISTEN/NOTIFY), and no request fails while
   * they switch supergraphs.
   */

  const REDIS_URL = TEST_REDIS_URL;
  const scratch = mkdtempSync(join(tmpdir(), "onecert-reload-"));
  let t: TestStack;
  let second: RunningGateway;
  let marriage: RunningMarriageRegistry;
  let civilKey = "";
  let subject = "";

  const LOAD_QUERY = `query($id: IdNumber!) { person(idNumber: $id) { name status realEstate { unitNumber } } }`;
  const MARRIAGE_QUERY = `query($id: IdNumber!) { person(idNumber: $id) { marriage { status } } }`;

  beforeAll(async () => {
    const env = loadGatewayConfig(process.env);
    const gateway: Partial<GatewayConfig> = {
      supergraph: { kind: "registry", path: SUPERGRAPH_PATH },
      mattersDir: marriageMattersDir(join(scratch, "matters"), SCHEMA_DIR),
      // The load must not be throttled: a refusal would count as a failed request.
      limits: { ...env.limits, rateLimitPerMinute: 10_000_000 },
    };
    const channel = `onecert:registry:test-${randomBytes(6).toString("hex")}`;
    t = await startTestStack({
      gateway: { ...gateway, redisUrl: REDIS_URL, registry: { ...REGISTRY_DEFAULTS, channel } },
    });
    // The second replica hears the database (no REDIS_URL); it shares database and registries.
    const subgraphUrls = Object.fromEntries(t.stack.registries.map((service) => [service.name, service.url]));
    second = await startGateway(
      { ...env, ...gateway, port: 0, subgraphUrls, redisUrl: undefined, registry: REGISTRY_DEFAULTS },
      { db: t.stack.db },
    );
    marriage = await startMarriageRegistry(TEST_WORLD, {
      jwksUrl: t.stack.gateway.url.replace(/\/graphql$/, GATEWAY_JWKS_PATH),
    });
    const civil = await t.stack.gateway.access.identity.createClient({
      name: "reload-civil-affairs",
      role: "department",
      department: MARRIAGE_DEPARTMENT,
    });
    civilKey = civil.apiKey;
    subject = t.sample("couple-newborn-parent-a");
  });

  afterAll(async () => {
    await second?.stop();
    await marriage?.stop();
    await t?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  interface Load {
    total: number;
    failures: string[];
    stop(): Promise<void>;
  }

  /** `workers` loops, each sending one request after the other, alternating between the replicas. */
  function steadyLoad(urls: string[], workers: number): Load {
    const load: Load = { total: 0, failures: [], stop: async () => undefined };
    let running = true;
    const worker = async (offset: number) => {
      for (let index = offset; running; index += 1) {
        try {
          const reply = await postGraphQL(urls[index % urls.length], LOAD_QUERY, { id: subject }, t.headers);
          if (reply.status !== 200 || reply.errors) {
            load.failures.push(`${reply.status} ${JSON.stringify(reply.errors ?? null).slice(0, 200)}`);
          }
        } catch (error) {
          load.failures.push(`transport: ${(error as Error).message}`);
        }
        load.total += 1;
      }
    };
    const done = Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
    load.stop = async () => {
      running = false;
      await done;
    };
    return load;
  }

  async function publish(method: "POST", path: string, body: unknown): Promise<number> {
    const response = await fetch(`${t.stack.gateway.url.replace(/\/graphql$/, "")}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${civilKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { data?: { version: { version: number } }; error?: unknown };
    expect(response.status, JSON.stringify(json.error)).toBe(201);
    return json.data!.version.version;
  }

  /** Polls a replica until it serves `version` and it answers `probe` as expected; fails after 5 s. */
  async function switched(gateway: RunningGateway, version: number, marriageServed: boolean): Promise<void> {
    const deadline = Date.now() + 5000;
    const headers = {
      authorization: `Bearer ${civilKey}`,
      "x-operator-id": "reload-clerk",
      "x-matter-code": MARRIAGE_MATTER,
    };
    for (;;) {
      const ready = (await (
        await fetch(gateway.url.replace(/\/graphql$/, "/ready"), {
          headers: { authorization: `Bearer ${t.keys.admin}` },
        })
      ).json()) as {
        supergraphVersion: number;
      };
      const reply = await postGraphQL(gateway.url, MARRIAGE_QUERY, { id: subject }, headers);
      if (ready.supergraphVersion === version && !reply.errors === marriageServed) return;
      if (Date.now() > deadline)
        throw new Error(`${gateway.url} did not switch to version ${version} within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  describe("publishing under load", () => {
    it("reaches every replica within 5 s and fails no request in flight", async () => {
      const load = steadyLoad([t.stack.gateway.url, second.url], 6);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const counts: number[] = [load.total];

        const registered = await publish("POST", "/subgraphs", {
          name: "marriage",
          url: marriage.url,
          sdl: marriageSdl(),
        });
        await Promise.all([switched(t.stack.gateway, registered, true), switched(second, registered, true)]);
        counts.push(load.total);

        const removed = await publish("POST", "/subgraphs/marriage/remove", {
          override: true,
          reason: "the probe above is the only user",
        });
        await Promise.all([switched(t.stack.gateway, removed, false), switched(second, removed, false)]);
        counts.push(load.total);

        const restored = await publish("POST", "/registry/rollback", { version: registered });
        await Promise.all([switched(t.stack.gateway, restored, true), switched(second, restored, true)]);
        await new Promise((resolve) => setTimeout(resolve, 500));
        counts.push(load.total);

        // The load really ran across each switch.
        for (let index = 1; index < counts.length; index += 1)
          expect(counts[index]).toBeGreaterThan(counts[index - 1]);
      } finally {
        await load.stop();
      }
      expect(load.failures).toEqual([]);
      expect(load.total).toBeGreaterThan(50);
    });
  });
});
