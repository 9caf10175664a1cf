import { loadGatewayConfig, startGateway, type RunningGateway } from "@onecert/gateway";
import { README_QUERY } from "@onecert/cli";
import { mainThreadCpuMs, postgresCpuMs } from "../cpu";
import { runLoad, type LoadResult } from "../load";
import type { BenchContext, Scenario } from "../scenario";

/** Subjects the README query is asked about, in turn. */
const SUBJECTS = 500;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Measured extends LoadResult {
  /** CPU per request of the request thread (the load generator's share included), ms. */
  threadMs: number;
  /** CPU per request of the whole process (the audit writer thread included), ms. */
  processMs: number;
  /** CPU per request of the local PostgreSQL server processes (the audit inserts included), ms. */
  databaseMs: number;
}

interface Pair {
  label: string;
  connections: number;
  audited: RunningGateway;
  bare: RunningGateway;
}

/**
 * The audit trail's cost on the README query: pairs of gateways started alike on the same
 * registries and database, one auditing every request (fail closed) and one started with
 * `withoutAudit` (a startGateway option for benchmarks only); one pair uncached, one with the
 * response cache on, warmed so that every request is a cache hit (the cheapest request there is,
 * so the audit's share is largest), at 64 and at 256 connections. Rounds alternate which of a pair goes first; the overhead is
 * the median of the rounds' throughput ratios.
 */
export const scenario: Scenario = {
  name: "audit",
  async run(context) {
    const rounds = Number(process.env.BENCH_ROUNDS || 5);
    const bodies = (await context.subjects(0, SUBJECTS)).map((id) =>
      JSON.stringify({ query: README_QUERY, variables: { id } }),
    );
    const pairs: Pair[] = [];
    try {
      // Throughput is measured at saturation: 16 connections keep the uncached gateway busy, but
      // a cache hit takes well under a millisecond while its record waits for its commit, so the
      // cached pairs need more requests in flight to be limited by work rather than by waiting.
      for (const [label, cache, connections] of [
        ["uncached", "false", Number(process.env.BENCH_CONNECTIONS || 16)],
        ["cache hits", "true", Number(process.env.BENCH_CONNECTIONS || 64)],
        ["cache hits", "true", 256],
      ] as const) {
        const env = { ...process.env, CACHE_ENABLED: cache };
        const config = loadGatewayConfig(env, { port: 0, subgraphUrls: context.subgraphUrls });
        const audited = await startGateway(config, { db: context.stack.db });
        const bare = await startGateway(config, { db: context.stack.db, withoutAudit: true });
        pairs.push({ label, audited, bare, connections });
      }
      const results: Measured[] = [];
      const summary: string[] = [];
      for (const pair of pairs) {
        const { audited, without, ratios } = await measurePair(context, pair, bodies, rounds);
        results.push(audited, without);
        summary.push(
          `${pair.label} (${pair.connections} connections): throughput lost to auditing ${((1 - median(ratios)) * 100).toFixed(1)} % (budget 10 %); ` +
            `round ratios ${ratios.map((r) => r.toFixed(2)).join(", ")}. CPU ms per request, audited / without: ` +
            `request thread ${audited.threadMs.toFixed(3)} / ${without.threadMs.toFixed(3)}, whole process ` +
            `${audited.processMs.toFixed(3)} / ${without.processMs.toFixed(3)}, PostgreSQL server ` +
            `${audited.databaseMs.toFixed(3)} / ${without.databaseMs.toFixed(3)}.`,
        );
      }
      return {
        title: `Audit trail: the README query with and without auditing (median of ${rounds} rounds)`,
        results,
        baseline: results[1],
        summary,
      };
    } finally {
      for (const pair of pairs) {
        await pair.bare.stop();
        await pair.audited.stop();
      }
    }
  },
};

/** Runs one pair's rounds; the medians of each side and the throughput ratio of every round. */
async function measurePair(
  context: BenchContext,
  pair: Pair,
  bodies: string[],
  rounds: number,
): Promise<{ audited: Measured; without: Measured; ratios: number[] }> {
  const seconds = Number(process.env.BENCH_SECONDS || 5);
  const connections = pair.connections;
  const targets = [
    { name: `README query, ${pair.label}, ${pair.connections} conn., audited`, url: pair.audited.url },
    { name: `README query, ${pair.label}, ${pair.connections} conn., without audit`, url: pair.bare.url },
  ];
  // Long enough for every subject to be asked at least once (the cached pair then only hits)
  // and for the code on both paths to be compiled.
  for (const target of targets)
    await runLoad("warm-up", target.url, { bodies, headers: context.headers, seconds: 5, connections });
  const runs = new Map<string, Measured[]>(targets.map((target) => [target.name, []]));
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const pairRates = new Map<string, number>();
    for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
      const thread = mainThreadCpuMs();
      const cpu = process.cpuUsage();
      const database = postgresCpuMs();
      const result = await runLoad(target.name, target.url, {
        bodies,
        headers: context.headers,
        connections,
      });
      const used = process.cpuUsage(cpu);
      const requests = Math.max(1, result.requestsPerSecond * seconds);
      runs.get(target.name)!.push({
        ...result,
        threadMs: (mainThreadCpuMs() - thread) / requests,
        processMs: (used.user + used.system) / 1000 / requests,
        databaseMs: (postgresCpuMs() - database) / requests,
      });
      pairRates.set(target.name, result.requestsPerSecond);
    }
    ratios.push(pairRates.get(targets[0].name)! / pairRates.get(targets[1].name)!);
  }
  const [audited, without] = [...runs].map(([name, list]): Measured => ({
    name,
    requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
    p50Ms: median(list.map((r) => r.p50Ms)),
    p99Ms: median(list.map((r) => r.p99Ms)),
    errors: list.reduce((sum, r) => sum + r.errors, 0),
    threadMs: median(list.map((r) => r.threadMs)),
    processMs: median(list.map((r) => r.processMs)),
    databaseMs: median(list.map((r) => r.databaseMs)),
  })) as [Measured, Measured];
  return { audited, without, ratios };
}
