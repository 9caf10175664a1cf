import { createLogger, RedisInvalidationBus } from "@onecert/subgraph-kit";
import { postGraphQL, describeWith } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGatewayConfig, type RunningGateway } from "@onecert/gateway";
import { urlVariable } from "@onecert/gateway";
import { README_QUERY } from "@onecert/cli";
import {
  ask,
  dropKeys,
  REDIS_URL,
  startExtraGateway,
  subgraphUrlsOf,
  testNamespace,
  until,
} from "../support/cache";
import { freePort, prepareGatewayDb, startChild, startRedis, type Child } from "../support/processes";
import { startTestStack, TEST_MATTER, type TestStack } from "../support/stack";

describeWith(["redis", "redis-server"], "the shared Redis cache across processes", () => {
  /**
   * The shared cache across processes: two gateway processes on one Redis drop a record the
   * registries changed within 1 s, and a gateway keeps serving while its Redis stops and restarts.
   */

  const ns = testNamespace();
  const logger = createLogger("cache-redis-test");
  let t: TestStack;
  let bus: RedisInvalidationBus;
  let child: Child | undefined;
  let childUrl = "";
  let childHeaders: Record<string, string> = {};
  let cleanupChildDb = () => undefined as void;

  beforeAll(async () => {
    bus = new RedisInvalidationBus({ url: REDIS_URL, channel: ns.channel, logger });
    const cache = {
      ...loadGatewayConfig({}).cache,
      keyPrefix: ns.prefix,
      invalidationChannel: ns.channel,
      debugHeader: true,
    };
    t = await startTestStack({ invalidationBus: bus, gateway: { redisUrl: REDIS_URL, cache } });

    // The second gateway: its own process, on the same Redis, with its own clients unless it can
    // share the test's PostgreSQL database (the embedded one serves a single process).
    const dbUrl = (t.stack.db as { url?: string }).url;
    const env: Record<string, string | undefined> = {
      PORT: String(await freePort()),
      REDIS_URL,
      CACHE_KEY_PREFIX: ns.prefix,
      INVALIDATION_CHANNEL: ns.channel,
      CACHE_DEBUG_HEADER: "true",
      LOG_LEVEL: "warn",
      NODE_ENV: "test",
      DATABASE_URL: undefined,
    };
    for (const [name, url] of Object.entries(subgraphUrlsOf(t.stack))) env[urlVariable(name)] = url;
    if (dbUrl) {
      env.GATEWAY_DATABASE_URL = dbUrl;
      childHeaders = t.headers;
    } else {
      const prepared = await prepareGatewayDb(["Person.*"], TEST_MATTER, t.stack.db);
      env.GATEWAY_PGLITE_DATA_DIR = prepared.dataDir;
      cleanupChildDb = prepared.cleanup;
      childHeaders = { ...t.headers, authorization: `Bearer ${prepared.apiKey}` };
    }
    child = startChild("node", ["gateway/cli/bin/onecert.cjs", "serve", "gateway"], env);
    childUrl = `http://127.0.0.1:${env.PORT}/graphql`;
    // Up once it answers GraphQL: the process runs and its supergraph is loaded.
    const started = child;
    await until(
      () =>
        postGraphQL(childUrl, "{ __typename }", {}, childHeaders).then(
          (reply) => !reply.errors,
          () => false,
        ),
      "the second gateway process",
      120_000,
    ).catch((error: unknown) => {
      const exit = started.process.exitCode ?? started.process.signalCode;
      throw new Error(`${String(error)} (exit: ${exit ?? "running"}); its stderr:\n${started.output()}`);
    });
  });

  afterAll(async () => {
    await child?.stop();
    cleanupChildDb();
    await t?.stop();
    await bus?.close();
    await dropKeys(REDIS_URL, ns.prefix);
  });

  async function activePerson(offset: number): Promise<string> {
    const [row] = await t.stack.db.query<{ id_number: string }>(
      "SELECT id_number FROM population.persons WHERE status = 'ACTIVE' ORDER BY id_number OFFSET $1 LIMIT 1",
      [offset],
    );
    return row.id_number;
  }

  describe("two gateway processes on one Redis", () => {
    it("both serve a record changed through its registry within 1 s", async () => {
      const id = await activePerson(40);
      const query = `query($id: IdNumber!) { person(idNumber: $id) { name address } }`;
      const gateways = [
        { url: t.stack.gateway.url, headers: t.headers },
        { url: childUrl, headers: childHeaders },
      ];
      for (const { url, headers } of gateways) {
        const first = await ask(url, query, { id }, headers);
        expect(first.errors, `${url}: ${JSON.stringify(first.errors)}`).toBeUndefined();
        expect((await ask(url, query, { id }, headers)).cache).toBe("HIT");
      }
      const address = `合成省合成市第八区双网关路${Date.now() % 1000}号`;
      const changed = await postGraphQL(
        t.stack.gateway.url,
        `mutation($id: IdNumber!, $address: String!) {
          changeAddress(idNumber: $id, address: $address, regionCode: "990108") { address } }`,
        { id, address },
        await t.registryClerk(),
      );
      expect(changed.errors).toBeUndefined();
      const at = Date.now();
      const seen = await Promise.all(
        gateways.map(({ url, headers }) =>
          until(async () => {
            const reply = await ask<{ person: { address: string } }>(url, query, { id }, headers);
            return reply.data?.person.address === address && Date.now() - at;
          }, `the new address through ${url}`),
        ),
      );
      expect(Math.max(...seen)).toBeLessThanOrEqual(1_000);
    });

    it("never serves the old value after a mutation answered through the other: 50 write-then-read rounds", async () => {
      const id = await activePerson(41);
      const query = `query($id: IdNumber!) { person(idNumber: $id) { address } }`;
      const clerk = await t.registryClerk();
      const stale: string[] = [];
      for (let round = 0; round < 50; round += 1) {
        // The other replica holds the current value in the shared cache.
        await ask(childUrl, query, { id }, childHeaders);
        const address = `合成省合成市第八区读写路${round}号`;
        const changed = await postGraphQL(
          t.stack.gateway.url,
          `mutation($id: IdNumber!, $address: String!) {
            changeAddress(idNumber: $id, address: $address, regionCode: "990108") { address } }`,
          { id, address },
          clerk,
        );
        expect(changed.errors).toBeUndefined();
        const read = await ask<{ person: { address: string } }>(childUrl, query, { id }, childHeaders);
        if (read.data?.person.address !== address)
          stale.push(`round ${round}: ${read.data?.person.address} (${read.cache})`);
      }
      expect(stale).toEqual([]);
    });
  });

  describe("a Redis that stops and restarts", () => {
    let redis: Child | undefined;
    let gateway: RunningGateway | undefined;
    afterAll(async () => {
      await gateway?.stop();
      await redis?.stop("SIGKILL");
    });

    it("keeps serving uncached while it is down and uses the cache again when it is back", async () => {
      const port = await freePort();
      redis = await startRedis(port);
      gateway = await startExtraGateway(t.stack, {
        redisUrl: `redis://127.0.0.1:${port}`,
        cache: {
          keyPrefix: "onecert:restart:",
          invalidationChannel: `${ns.channel}:restart`,
          debugHeader: true,
        },
      });
      const url = gateway.url;
      const ids = await Promise.all([50, 51, 52].map(activePerson));
      const expected = new Map<string, unknown>();
      for (const id of ids) expected.set(id, (await ask(url, README_QUERY, { id }, t.headers)).data);

      // Traffic for the whole test: every reply must be a full, correct answer.
      const replies: { status: number; cache: string | null; ok: boolean }[] = [];
      let running = true;
      const traffic = Promise.all(
        ids.map(async (id) => {
          while (running) {
            const reply = await ask(url, README_QUERY, { id }, t.headers);
            const ok =
              reply.status === 200 &&
              !reply.errors &&
              JSON.stringify(reply.data) === JSON.stringify(expected.get(id));
            replies.push({ status: reply.status, cache: reply.cache, ok });
          }
        }),
      );
      const seen = async (cache: string, after: number) => {
        await until(
          async () => replies.slice(after).filter((reply) => reply.cache === cache).length >= 6,
          `${cache} replies`,
          30_000,
        );
        return replies.length;
      };
      const degraded = async () => {
        const text = await gateway!.metrics.registry.getSingleMetricAsString("onecert_cache_degraded");
        return Number(/ (\d+)$/m.exec(text)?.[1]);
      };

      let mark = await seen("HIT", 0);
      await redis.stop("SIGKILL");
      mark = await seen("MISS", mark);
      expect(await degraded()).toBe(1);
      const down = replies.length;

      redis = await startRedis(port);
      await seen("HIT", down);
      running = false;
      await traffic;
      expect(await degraded()).toBe(0);
      expect(replies.filter((reply) => !reply.ok)).toEqual([]);
      expect(replies.length).toBeGreaterThan(mark);
    });
  });
});
