import { randomBytes } from "node:crypto";
import { loadGatewayConfig, startGateway, type RunningGateway } from "@onecert/gateway";
import { README_QUERY, REGISTRIES } from "@onecert/cli";
import { hopCryptoMicros } from "../hop-cost";
import { runLoad, type LoadResult } from "../load";
import { startPlainGateway } from "../plain-gateway";
import { mean, type BenchContext, type Scenario } from "../scenario";

/** A certificate-like check: the person, their homes and their contributions. */
export const CERTIFICATE_QUERY = `query Certificate($id: IdNumber!) {
  person(idNumber: $id) {
    name
    status
    realEstate { unitNumber area mortgaged seized }
    socialInsurance {
      consecutiveContributionMonths(type: EMPLOYEE_PENSION)
      lastPaidPeriod(type: EMPLOYEE_PENSION)
      retirement { retired }
    }
  }
}`;

/** Subjects asked again and again in the warm runs. */
const WARM_SUBJECTS = 8;
/** Subjects of the warm-up runs, never measured. */
const WARM_UP_SUBJECTS = 1_500;

const QUERIES = [
  ["README query", README_QUERY],
  ["certificate query", CERTIFICATE_QUERY],
] as const;

/**
 * The caches' effect: each query through (a) a plain @apollo/gateway, (b) OneCert with caching on
 * but cold (a subject never asked before on every request) and (c) warm (the same few subjects).
 * The cache is Redis when BENCH_REDIS_URL (or REDIS_URL) is set, else the in-process one.
 * The plain gateway calls bare copies of the registries (no assertion verified, no access log),
 * as a plain federation would; (e) is (b) against them with its calls unsigned, so (b) / (e) is
 * what the signed hop costs a cold request: signing, verifying and both sides' records.
 */
export const scenario: Scenario = {
  name: "cache",
  async run(context) {
    const redisUrl = process.env.BENCH_REDIS_URL || process.env.REDIS_URL || undefined;
    const bareUrls = context.bareSubgraphUrls;
    const onecert = await startCachingGateway(context, redisUrl);
    const unsigned = await startCachingGateway({ ...context, subgraphUrls: bareUrls }, redisUrl, true);
    const plain = await startPlainGateway(bareUrls);
    const rounds = Number(process.env.BENCH_ROUNDS || 1);
    const seconds = Number(process.env.BENCH_SECONDS || 5);
    try {
      const runs = new Map<string, LoadResult[]>();
      // CPU per request of this process (every service and the load generator): what another
      // process on the machine does not skew, unlike throughput.
      const cpu = new Map<string, number[]>();
      const measure = async (name: string, url: string, bodies: string[], headers = context.headers) => {
        const before = process.cpuUsage();
        const result = await runLoad(name, url, { bodies, headers });
        const used = process.cpuUsage(before);
        const requests = result.requestsPerSecond * seconds;
        cpu.set(name, [...(cpu.get(name) ?? []), (used.user + used.system) / 1000 / Math.max(requests, 1)]);
        runs.set(name, [...(runs.get(name) ?? []), result]);
        return result;
      };
      // A cold request asks for a subject never asked before. The two queries select different
      // fields, so their cache entries never meet and they may share subjects.
      const warm = await context.subjects(0, WARM_SUBJECTS);
      const warmUp = await context.subjects(WARM_SUBJECTS, WARM_UP_SUBJECTS);
      const cold = await context.subjects(WARM_SUBJECTS + WARM_UP_SUBJECTS, 10_000_000);
      const share = Math.floor(cold.length / rounds);
      const bodies = (query: string, ids: string[]) =>
        ids.map((id) => JSON.stringify({ query, variables: { id } }));
      const notes: string[] = [];
      // Subgraph fetches per cold request, counted where they land: the registries' access logs.
      const logged = async () => {
        let total = 0;
        for (const registry of REGISTRIES) {
          const [row] = await context.stack.db.query<{ n: string }>(
            `SELECT count(*) AS n FROM ${registry.dbSchema}.access_log`,
          );
          total += Number(row?.n ?? 0);
        }
        return total;
      };
      const fetchesPerRequest = new Map<string, number[]>();
      for (const [label, query] of QUERIES) {
        // JIT, plans and connections first, with subjects that are not measured afterwards.
        await runLoad("warm-up", plain.url, { bodies: bodies(query, warmUp), seconds: 2 });
        await runLoad("warm-up", onecert.url, {
          bodies: bodies(query, warmUp),
          headers: context.headers,
          seconds: 2,
        });
        for (let round = 0; round < rounds; round += 1) {
          const fresh = cold.slice(round * share, round * share + Math.floor(share / 2));
          // (b) and (e) both run cold: each on subjects of its own, the other half of the share.
          const freshToo = cold.slice(round * share + Math.floor(share / 2), (round + 1) * share);
          await measure(`${label}: (a) plain @apollo/gateway`, plain.url, bodies(query, fresh), {});
          const before = await logged();
          const coldRun = await measure(
            `${label}: (b) OneCert, cache cold`,
            onecert.url,
            bodies(query, fresh),
          );
          const served = coldRun.requestsPerSecond * seconds;
          if (served > 0)
            fetchesPerRequest.set(label, [
              ...(fetchesPerRequest.get(label) ?? []),
              ((await logged()) - before) / served,
            ]);
          await measure(
            `${label}: (e) OneCert, cache cold, hop unsigned`,
            unsigned.url,
            bodies(query, freshToo),
          );
          await measure(`${label}: (c) OneCert, cache warm`, onecert.url, bodies(query, warm));
          // For reference: everything but the cache (authentication, policy, audit, limits).
          await measure(
            `${label}: (d) OneCert, caching off`,
            context.stack.gateway.url,
            bodies(query, fresh),
          );
          const asked = Math.round(coldRun.requestsPerSecond * seconds);
          if (asked > fresh.length)
            notes.push(`${label}: ${asked} cold requests for ${fresh.length} subjects (seed more)`);
        }
      }
      const results = [...runs].map(([name, list]) => mean(name, list));
      const summary = [
        `Cache: ${redisUrl ? "Redis" : "in-process LRU"}; ${rounds} run(s) per target.`,
        ...notes,
      ];
      for (let i = 0; i < results.length; i += 5) {
        const [a, b, e, c, d] = results.slice(i, i + 5) as [
          LoadResult,
          LoadResult,
          LoadResult,
          LoadResult,
          LoadResult,
        ];
        const percent = (x: number, y: number) => `${((x / y) * 100).toFixed(0)}%`;
        summary.push(
          `${a.name.split(":")[0]}: warm/plain throughput ${(c.requestsPerSecond / a.requestsPerSecond).toFixed(1)}x ` +
            `(target >= 5), warm p50 ${percent(c.p50Ms, a.p50Ms)} of plain (target <= 20%), ` +
            `cold/plain throughput ${percent(b.requestsPerSecond, a.requestsPerSecond)} (target >= 90%), ` +
            `cold/caching off ${percent(b.requestsPerSecond, d.requestsPerSecond)}, ` +
            `cold signed/unsigned ${percent(b.requestsPerSecond, e.requestsPerSecond)} (target >= 95%)`,
        );
        const cpuOf = (r: LoadResult) => {
          const list = cpu.get(r.name)!;
          return list.reduce((x, y) => x + y, 0) / list.length;
        };
        summary.push(
          `  CPU ms per request (this process): plain ${cpuOf(a).toFixed(2)}, cold ${cpuOf(b).toFixed(2)}, ` +
            `warm ${cpuOf(c).toFixed(2)}, caching off ${cpuOf(d).toFixed(2)}, cold unsigned ${cpuOf(e).toFixed(2)}`,
        );
      }
      const crypto = await hopCryptoMicros(context.stack.db);
      summary.push(
        `Hop cryptography per subgraph fetch (measured alone): sign ${crypto.sign.toFixed(0)} us, ` +
          `verify ${crypto.verify.toFixed(0)} us of CPU.`,
      );
      for (const [label, list] of fetchesPerRequest) {
        const fetches = list.reduce((x, y) => x + y, 0) / list.length;
        const cold = cpu.get(`${label}: (b) OneCert, cache cold`)!;
        const coldMs = cold.reduce((x, y) => x + y, 0) / cold.length;
        const hopMs = (fetches * (crypto.sign + crypto.verify)) / 1000;
        summary.push(
          `  ${label}: ${fetches.toFixed(1)} fetches per cold request, so ${hopMs.toFixed(2)} ms of its ` +
            `${coldMs.toFixed(2)} ms CPU (${((hopMs / coldMs) * 100).toFixed(1)} %, target <= 5 %); ` +
            `the rest of (b) - (e) is the registries' access-log writes, here on the same CPU.`,
        );
      }
      const title = "Caching: plain @apollo/gateway, OneCert cold, warm, and with caching off";
      return { title, results, baseline: results[0], summary };
    } finally {
      await plain.stop();
      await onecert.stop();
      await unsigned.stop();
    }
  },
};

/** A OneCert gateway like the stack's, with caching on and a cache of its own. */
async function startCachingGateway(
  context: BenchContext,
  redisUrl: string | undefined,
  withoutHopSigning = false,
): Promise<RunningGateway> {
  const base = loadGatewayConfig({});
  const id = randomBytes(4).toString("hex");
  const cache = {
    ...base.cache,
    enabled: true,
    debugHeader: false,
    keyPrefix: `onecert:bench-${id}:`,
    invalidationChannel: `onecert:bench-${id}:invalidation`,
    maxEntries: 200_000,
  };
  const config = loadGatewayConfig(process.env, {
    port: 0,
    subgraphUrls: context.subgraphUrls,
    redisUrl,
    cache,
  });
  return startGateway(config, { db: context.stack.db, withoutHopSigning });
}
