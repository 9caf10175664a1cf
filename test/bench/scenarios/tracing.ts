import { README_QUERY } from "@onecert/cli";
import { loadGatewayConfig, startGateway, type RunningGateway } from "@onecert/gateway";
import { startTracing, type SpanProcessor, type Tracing } from "@onecert/subgraph-kit/tracing";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mainThreadCpuMs } from "../cpu";
import { runLoad, type LoadResult } from "../load";
import type { Scenario } from "../scenario";

/** Subjects asked about in turn; with the cache off every request reaches every registry. */
const SUBJECTS = 500;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Measured extends LoadResult {
  /** CPU per request of the whole process (gateway, registries, load generator, sink), ms. */
  processMs: number;
  /** CPU per request of the main thread, ms. */
  threadMs: number;
  /** Spans ended per request (0 with tracing off). */
  spans: number;
}

interface Target {
  name: string;
  gateway: RunningGateway;
  traced: boolean;
}

/** An OTLP/HTTP endpoint that reads every export and throws it away. */
async function discardingSink() {
  const server = createServer((req, res) => req.resume().on("end", () => res.end("{}")));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Tracing's cost on the cold path (cache off, fresh subjects: the README query reaches every
 * registry): a gateway started with tracing off (no hook, plugin or wrapper installed) against
 * one started with it on, 100 % sampled, exporting OTLP/HTTP to a local sink that discards.
 * The runner keeps every service in one process and tracing is process-global, so tracing is
 * started before each round of the traced gateway and stopped (flushed) after it: the off
 * rounds run with no provider at all, registries included. Rounds alternate which goes first.
 */
export const scenario: Scenario = {
  name: "tracing",
  async run(context) {
    const rounds = Number(process.env.BENCH_ROUNDS || 5);
    const seconds = Number(process.env.BENCH_SECONDS || 5);
    const connections = Number(process.env.BENCH_CONNECTIONS || 16);
    const bodies = (await context.subjects(0, SUBJECTS)).map((id) =>
      JSON.stringify({ query: README_QUERY, variables: { id } }),
    );
    const sink = await discardingSink();
    let ended = 0;
    const counter: SpanProcessor = {
      onStart: () => undefined,
      onEnd: () => void (ended += 1),
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_TRACES_SAMPLER: "always_on" };
    const traceOn = (): Tracing => startTracing({ serviceName: "onecert-bench", env, processors: [counter] });
    const config = loadGatewayConfig(
      { ...process.env, CACHE_ENABLED: "false" },
      { port: 0, subgraphUrls: context.subgraphUrls },
    );
    const targets: Target[] = [];
    try {
      targets.push({
        name: "cold path, tracing off",
        gateway: await startGateway(config, { db: context.stack.db }),
        traced: false,
      });
      const starting = traceOn();
      targets.push({
        name: "cold path, tracing on (100 %)",
        gateway: await startGateway(config, { db: context.stack.db }),
        traced: true,
      });
      await starting.shutdown();
      const runs = new Map<string, Measured[]>(targets.map((target) => [target.name, []]));
      const ratios: number[] = [];
      const measure = async (target: Target, warmUp: boolean) => {
        const tracing = target.traced ? traceOn() : null;
        try {
          const name = warmUp ? "warm-up" : target.name;
          const options = {
            bodies,
            headers: context.headers,
            connections,
            ...(warmUp ? { seconds: 3 } : {}),
          };
          const [thread, cpu, spans] = [mainThreadCpuMs(), process.cpuUsage(), ended];
          const result = await runLoad(name, target.gateway.url, options);
          const used = process.cpuUsage(cpu);
          const requests = Math.max(1, result.requestsPerSecond * (warmUp ? 3 : seconds));
          return {
            ...result,
            processMs: (used.user + used.system) / 1000 / requests,
            threadMs: (mainThreadCpuMs() - thread) / requests,
            spans: (ended - spans) / requests,
          };
        } finally {
          await tracing?.shutdown();
        }
      };
      for (const target of targets) await measure(target, true);
      for (let round = 0; round < rounds; round += 1) {
        const rates = new Map<string, number>();
        for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
          const result = await measure(target, false);
          runs.get(target.name)!.push(result);
          rates.set(target.name, result.requestsPerSecond);
        }
        ratios.push(rates.get(targets[1].name)! / rates.get(targets[0].name)!);
      }
      const [off, on] = [...runs].map(([name, list]): Measured => ({
        name,
        requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
        p50Ms: median(list.map((r) => r.p50Ms)),
        p99Ms: median(list.map((r) => r.p99Ms)),
        errors: list.reduce((sum, r) => sum + r.errors, 0),
        processMs: median(list.map((r) => r.processMs)),
        threadMs: median(list.map((r) => r.threadMs)),
        spans: median(list.map((r) => r.spans)),
      })) as [Measured, Measured];
      return {
        title: `Tracing: the README query on the cold path, off and on (${connections} connections, median of ${rounds} rounds)`,
        results: [off, on],
        baseline: off,
        summary: [
          `Throughput with tracing on: ${(median(ratios) * 100).toFixed(1)} % of off (budget: at least 90 %); ` +
            `round ratios ${ratios.map((r) => r.toFixed(2)).join(", ")}.`,
          `CPU ms per request, off / on: whole process ${off.processMs.toFixed(3)} / ${on.processMs.toFixed(3)}, ` +
            `main thread ${off.threadMs.toFixed(3)} / ${on.threadMs.toFixed(3)}; ${on.spans.toFixed(1)} spans per traced request.`,
        ],
      };
    } finally {
      for (const target of targets) await target.gateway.stop();
      await sink.close();
    }
  },
};
