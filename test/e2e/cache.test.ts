import { createLogger, memoryBus, RedisInvalidationBus } from "@onecert/subgraph-kit";
import { postGraphQL, describeWith } from "@onecert/subgraph-kit/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGatewayConfig, type RunningGateway } from "@onecert/gateway";
import { README_QUERY } from "@onecert/cli";
import {
  ask,
  dropKeys,
  keysMatching,
  REDIS_URL,
  startExtraGateway,
  testNamespace,
  until,
} from "../support/cache";
import { startTestStack, TEST_MATTER, type TestStack } from "../support/stack";

describeWith(["redis"], "caching with Redis and in process", () => {
  /**
   * The caches against the same registries through three gateways: one with the in-process cache,
   * one with Redis, and one with caching off, whose answers are the reference: whatever a caching
   * gateway returns, from cache or not, must equal what the uncached gateway returns to the caller.
   */

  const ns = testNamespace();
  let t: TestStack;
  let redisGateway: RunningGateway;
  let oracle: RunningGateway;
  let stopBridge: () => Promise<void> = async () => undefined;
  const localBus = memoryBus();
  let adminKey = "";
  const PERSONS = `query($ids: [IdNumber!]!) { persons(idNumbers: $ids) { idNumber name
    realEstate { unitNumber area } socialInsurance { consecutiveContributionMonths(type: EMPLOYEE_PENSION) } } }`;
  const P = (fields: string) => `query($id: IdNumber!) { person(idNumber: $id) { ${fields} } }`;

  beforeAll(async () => {
    const cache = { ...loadGatewayConfig({}).cache, debugHeader: true };
    // The registries publish in process whatever the environment says (REDIS_URL would send them to Redis).
    t = await startTestStack({ invalidationBus: localBus, gateway: { redisUrl: undefined, cache } });
    redisGateway = await startExtraGateway(t.stack, {
      redisUrl: REDIS_URL,
      cache: { keyPrefix: ns.prefix, invalidationChannel: ns.channel, debugHeader: true },
    });
    oracle = await startExtraGateway(t.stack, { redisUrl: undefined, cache: { enabled: false } });
    // The registries publish in process here; carry their events to the stream the Redis gateway reads.
    const redisBus = new RedisInvalidationBus({
      url: REDIS_URL,
      channel: ns.channel,
      logger: createLogger("bridge"),
    });
    const unsubscribe = await memoryBus().subscribe((event) => void redisBus.publish(event));
    stopBridge = async () => {
      await unsubscribe();
      await redisBus.close();
    };
    adminKey = t.keys.admin;
  });

  afterAll(async () => {
    await stopBridge();
    await redisGateway?.stop();
    await oracle?.stop();
    await t?.stop();
    await localBus.close();
    await dropKeys(REDIS_URL, ns.prefix);
  });

  async function personIds(offset: number, count: number): Promise<string[]> {
    const rows = await t.stack.db.query<{ id_number: string }>(
      "SELECT id_number FROM population.persons WHERE status = 'ACTIVE' ORDER BY id_number OFFSET $1 LIMIT $2",
      [offset, count],
    );
    return rows.map((row) => row.id_number);
  }

  /** A window client with one grant (or none) for `matter`; returns its request headers and id. */
  async function windowClient(name: string, fields: string[], clear: boolean, matter = TEST_MATTER) {
    const { identity, grants } = t.stack.gateway.access;
    const created = await identity.createClient({
      name,
      role: "window",
      department: "government-service-center",
    });
    let grantId: string | null = null;
    if (fields.length > 0) {
      const admin = (await identity.listClients()).find((client) => client.role === "admin")!;
      const requested = await grants.request({
        clientId: created.client.id,
        fields,
        matters: [matter],
        clearValues: clear,
        validUntil: new Date(Date.now() + 86_400_000),
        reason: "cache scope test",
        requestedBy: admin.id,
      });
      grantId = (await grants.approve(requested.id, admin.id)).id;
    }
    const headers = {
      authorization: `Bearer ${created.apiKey}`,
      "x-operator-id": "clerk-9",
      "x-matter-code": matter,
    };
    return { headers, grantId };
  }

  async function fetchCount(gateway: RunningGateway, subgraph: string): Promise<number> {
    const text = await gateway.metrics.registry.getSingleMetricAsString(
      "onecert_subgraph_fetch_duration_seconds",
    );
    return text
      .split("\n")
      .filter(
        (line) =>
          line.startsWith("onecert_subgraph_fetch_duration_seconds_count") &&
          line.includes(`subgraph="${subgraph}"`),
      )
      .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
  }

  const admin = (url: string, body: unknown, key = adminKey) =>
    fetch(url.replace(/\/graphql$/, "/admin/cache/invalidate"), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });

  describe.each([
    { backend: "in-process", offset: 100, subjects: ["person-two-homes", "person-one-home"] },
    { backend: "redis", offset: 200, subjects: ["person-three-homes", "person-mortgaged-home"] },
  ])("the $backend cache", ({ backend, offset, subjects }) => {
    const gateway = () => (backend === "redis" ? redisGateway : t.stack.gateway);
    const same = async (
      query: string,
      variables: Record<string, unknown>,
      headers: Record<string, string>,
    ) => {
      const [cached, reference] = await Promise.all([
        ask(gateway().url, query, variables, headers),
        ask(oracle.url, query, variables, headers),
      ]);
      expect(cached.errors).toEqual(reference.errors);
      expect(cached.data).toEqual(reference.data);
      return cached;
    };

    it("serves entities from cache, fetching the misses together and stitching them back in order", async () => {
      const [a, b, c] = await personIds(offset, 3);
      expect((await same(PERSONS, { ids: [a, b] }, t.headers)).cache).toBe("MISS");
      const before = await fetchCount(gateway(), "property");
      const mixed = await same(PERSONS, { ids: [c, b, a] }, t.headers);
      expect(mixed.cache).toBe("PARTIAL");
      expect((mixed.data as { persons: { idNumber: string }[] }).persons.map((p) => p.idNumber)).toEqual([
        c,
        b,
        a,
      ]);
      expect((await fetchCount(gateway(), "property")) - before).toBe(1);
      expect((await same(PERSONS, { ids: [c, b, a] }, t.headers)).cache).toBe("HIT");
    });

    it("marks responses with the most restrictive hint and never serves them to a shared cache", async () => {
      // A subject each, so that no answer holds data another one cached (which has aged since).
      const ids = await personIds(offset + 20, 4);
      const insurance = P("name socialInsurance { consecutiveContributionMonths(type: EMPLOYEE_PENSION) }");
      const cases: [string, number][] = [
        [P("name status"), 300],
        [P("name realEstate { unitNumber area }"), 120],
        [insurance, 60],
        [README_QUERY, 60],
      ];
      for (const [i, [query, maxAge]] of cases.entries()) {
        expect((await same(query, { id: ids[i] }, t.headers)).cacheControl).toBe(
          `max-age=${maxAge}, private`,
        );
      }
      const again = await same(README_QUERY, { id: ids[3] }, t.headers);
      expect(again.cache).toBe("HIT");
      const left = Number(/^max-age=(\d+), private$/.exec(again.cacheControl ?? "")?.[1]);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(60);
      const id = ids[0];
      const denied = await ask(gateway().url, P("phone"), { id }, t.headers);
      expect(denied.cacheControl).toBe("no-store");
    });

    it("never lets two callers with different rights see each other's cached data", async () => {
      const id = t.sample(subjects[0]);
      const fields = [
        "Person.idNumber",
        "Person.name",
        "Person.address",
        "Person.realEstate",
        "RealEstate.*",
      ];
      const clear = await windowClient(`clear-${backend}`, fields, true);
      const masked = await windowClient(`masked-${backend}`, fields, false);
      const none = await windowClient(`none-${backend}`, [], false);
      const query = P("idNumber name address realEstate { unitNumber address }");

      const clearReply = await same(query, { id }, clear.headers);
      expect((clearReply.data as { person: { idNumber: string } }).person.idNumber).toBe(id);
      // From the entity cache the clear client filled, but masked for this one, as uncached.
      const maskedReply = await same(query, { id }, masked.headers);
      expect((maskedReply.data as { person: { idNumber: string } }).person.idNumber).toMatch(
        /^\d{6}\*{8}[\dX]{4}$/,
      );
      expect((await same(query, { id }, masked.headers)).cache).toBe("HIT");
      expect((await same(query, { id }, clear.headers)).cache).toBe("HIT");

      const forbidden = await same(query, { id }, none.headers);
      expect(forbidden.status).toBe(403);
      expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const otherMatter = await same(query, { id }, { ...clear.headers, "x-matter-code": "retirement" });
      expect(otherMatter.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

      const revoked = await fetch(
        gateway().url.replace(/\/graphql$/, `/admin/grants/${clear.grantId}/revoke`),
        {
          method: "POST",
          headers: { authorization: `Bearer ${adminKey}` },
        },
      );
      expect(revoked.status).toBe(200);
      const after = await ask(gateway().url, query, { id }, clear.headers);
      expect(after.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(after.data ?? null).toBeNull();
    });

    it("invalidates by type and key, tag, type or everything through the admin API, for admins only", async () => {
      const [id] = await personIds(offset + 10, 1);
      const query = P("name realEstate { unitNumber }");
      const warm = async () => {
        await ask(gateway().url, query, { id }, t.headers);
        expect((await ask(gateway().url, query, { id }, t.headers)).cache).toBe("HIT");
      };
      expect((await admin(gateway().url, { type: "Person", key: id }, t.keys.window)).status).toBe(403);
      expect((await admin(gateway().url, { type: "Person", tag: `Person:${id}` })).status).toBe(400);
      const cases: [object, string][] = [
        [{ type: "Person", key: id }, "MISS"],
        [{ tag: `Person:${id}` }, "MISS"],
        // The person's own fields stay cached; the response and its homes go.
        [{ type: "RealEstate" }, "PARTIAL"],
        [{ all: true }, "MISS"],
      ];
      for (const [body, status] of cases) {
        await warm();
        const reply = await admin(gateway().url, body);
        expect(reply.status).toBe(200);
        expect((await ask(gateway().url, query, { id }, t.headers)).cache).toBe(status);
      }
    });

    it("counts hits, misses and sets per entity type on /metrics", async () => {
      const text = await (
        await fetch(gateway().url.replace(/\/graphql$/, "/metrics"), {
          headers: { authorization: `Bearer ${adminKey}` },
        })
      ).text();
      const value = (name: string, type: string) =>
        Number(new RegExp(`^${name}\\{type="${type}"\\} (\\d+)`, "m").exec(text)?.[1] ?? NaN);
      expect(value("onecert_cache_hits_total", "Person")).toBeGreaterThan(0);
      expect(value("onecert_cache_misses_total", "Person")).toBeGreaterThan(0);
      expect(value("onecert_cache_sets_total", "response")).toBeGreaterThan(0);
      expect(value("onecert_cache_invalidations_total", "Person")).toBeGreaterThan(0);
      expect(text).toMatch(
        new RegExp(`onecert_cache_degraded\\{backend="${backend === "redis" ? "redis" : "memory"}"\\} 0`),
      );
    });
  });

  describe("entries in Redis", () => {
    it("live no longer than the most restrictive hint of what they hold", async () => {
      const [id] = await personIds(300, 1);
      await ask(redisGateway.url, README_QUERY, { id }, t.headers);
      const redis = new Redis(REDIS_URL);
      try {
        const limits: [string, number][] = [
          ["f:Person:population:", 300_000],
          ["e:Person:property:", 120_000],
          ["e:Person:legal-entity:", 300_000],
          ["e:Person:social-insurance:", 60_000],
          // Responses of earlier tests are here too; the longest hint of any is 300 s.
          ["r:response:", 300_000],
        ];
        for (const [kind, limit] of limits) {
          const keys = await keysMatching(REDIS_URL, `${ns.prefix}g*:${kind}*`);
          expect(keys.length).toBeGreaterThan(0);
          for (const key of keys) {
            const ttl = await redis.pttl(key);
            expect(ttl).toBeGreaterThan(0);
            expect(ttl).toBeLessThanOrEqual(limit);
          }
        }
      } finally {
        redis.disconnect();
      }
    });
  });

  describe("invalidation", () => {
    it("drops changed data from both caches within 1 s of a registry change", async () => {
      const [id] = await personIds(600, 1);
      const query = P("address regionCode");
      for (const gateway of [t.stack.gateway, redisGateway]) {
        await ask(gateway.url, query, { id }, t.headers);
        expect((await ask(gateway.url, query, { id }, t.headers)).cache).toBe("HIT");
      }
      const address = `合成省合成市第九区缓存路${Date.now() % 1000}号`;
      const changed = await postGraphQL(
        t.stack.gateway.url,
        `mutation($id: IdNumber!, $address: String!) { changeAddress(idNumber: $id, address: $address, regionCode: "990109") { address } }`,
        { id, address },
        await t.registryClerk(),
      );
      expect(changed.errors).toBeUndefined();
      const at = Date.now();
      for (const gateway of [t.stack.gateway, redisGateway]) {
        await until(async () => {
          const reply = await ask<{ person: { address: string } }>(gateway.url, query, { id }, t.headers);
          return reply.data?.person.address === address;
        }, `the new address through ${gateway.url}`);
      }
      expect(Date.now() - at).toBeLessThanOrEqual(1_000);
    });
  });

  describe("persisted queries", () => {
    it("keeps automatic persisted queries in the shared cache", async () => {
      const query = P("name");
      const { createHash } = await import("node:crypto");
      const sha256Hash = createHash("sha256").update(query).digest("hex");
      const [id] = await personIds(700, 1);
      const send = (withQuery: boolean) =>
        fetch(redisGateway.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...t.headers },
          body: JSON.stringify({
            ...(withQuery ? { query } : {}),
            variables: { id },
            extensions: { persistedQuery: { version: 1, sha256Hash } },
          }),
        }).then(
          (response) =>
            response.json() as Promise<{ data?: unknown; errors?: { extensions: { code: string } }[] }>,
        );
      expect((await send(false)).errors?.[0]?.extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
      expect((await send(true)).data).toBeTruthy();
      expect((await send(false)).data).toEqual((await send(true)).data);
      expect(await keysMatching(REDIS_URL, `${ns.prefix}g*:q:apq:*${sha256Hash}`)).toHaveLength(1);
    });
  });
});
