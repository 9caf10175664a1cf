import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { loadGatewayConfig, startGateway } from "../../../gateway/src";
import { README_QUERY } from "../../../gateway/src/examples";
import { runLoad, type LoadResult } from "../load";
import type { Scenario } from "../scenario";

/** Subjects the README query is asked about, in turn. */
const SUBJECTS = 500;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * CPU time of this process's main thread, ms: on Linux from /proc, which counts CPU consumed and
 * so is not inflated by other processes on a shared machine; elsewhere its event-loop busy time.
 */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(stat[11]) + Number(stat[12])) * 1000) / 100;
  } catch {
    return performance.eventLoopUtilization().active;
  }
}

interface Measured extends LoadResult {
  /** CPU per request of the request thread (the load generator's share included), ms. */
  threadMs: number;
  /** CPU per request of the whole process (the audit writer thread included), ms. */
  processMs: number;
}

/**
 * The audit trail's cost on the README query: two gateways started alike on the same registries
 * and database, one auditing every request (fail closed) and one started with `withoutAudit` (a
 * startGateway option for benchmarks only). Rounds alternate which goes first, and the overhead
 * is the median of the rounds' throughput ratios.
 */
export const scenario: Scenario = {
  name: "audit",
  async run(context) {
    const seconds = Number(process.env.BENCH_SECONDS || 5);
    const rounds = Number(process.env.BENCH_ROUNDS || 3);
    const connections = Number(process.env.BENCH_CONNECTIONS || 16);
    const bodies = (await context.subjects(0, SUBJECTS)).map((id) =>
      JSON.stringify({ query: README_QUERY, variables: { id } }),
    );
    const config = loadGatewayConfig(process.env, { port: 0, subgraphUrls: context.subgraphUrls });
    const audited = await startGateway(config, { db: context.stack.db });
    const bare = await startGateway(config, { db: context.stack.db, withoutAudit: true });
    const targets = [
      { name: "README query, audited", url: audited.url },
      { name: "README query, without audit", url: bare.url },
    ];
    try {
      for (const target of targets) {
        await runLoad("warm-up", target.url, { bodies, headers: context.headers, seconds: 2, connections });
      }
      const runs = new Map<string, Measured[]>();
      const ratios: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        const pair = new Map<string, number>();
        for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
          const thread = mainThreadCpuMs();
          const cpu = process.cpuUsage();
          const result = await runLoad(target.name, target.url, {
            bodies,
            headers: context.headers,
            connections,
          });
          const used = process.cpuUsage(cpu);
          const requests = Math.max(1, result.requestsPerSecond * seconds);
          const measured = {
            ...result,
            threadMs: (mainThreadCpuMs() - thread) / requests,
            processMs: (used.user + used.system) / 1000 / requests,
          };
          runs.set(target.name, [...(runs.get(target.name) ?? []), measured]);
          pair.set(target.name, result.requestsPerSecond);
        }
        ratios.push(pair.get(targets[0]!.name)! / pair.get(targets[1]!.name)!);
      }
      const results: Measured[] = [...runs].map(([name, list]) => ({
        name,
        requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
        p50Ms: median(list.map((r) => r.p50Ms)),
        p99Ms: median(list.map((r) => r.p99Ms)),
        errors: list.reduce((sum, r) => sum + r.errors, 0),
        threadMs: median(list.map((r) => r.threadMs)),
        processMs: median(list.map((r) => r.processMs)),
      }));
      const [withAudit, without] = results as [Measured, Measured];
      const overhead = (1 - median(ratios)) * 100;
      return {
        title: `Audit trail: the README query with and without auditing (${connections} connections, median of ${rounds} rounds)`,
        results,
        baseline: without,
        summary: [
          `Throughput lost to auditing: ${overhead.toFixed(1)} % (budget 10 %); round ratios ${ratios.map((r) => r.toFixed(2)).join(", ")}.`,
          `CPU ms per request, request thread (load generator included): audited ${withAudit.threadMs.toFixed(3)}, ` +
            `without ${without.threadMs.toFixed(3)}; whole process (audit writer thread included): ` +
            `audited ${withAudit.processMs.toFixed(3)}, without ${without.processMs.toFixed(3)}.`,
        ],
      };
    } finally {
      await bare.stop();
      await audited.stop();
    }
  },
};
