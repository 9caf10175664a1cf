import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { LoadResult } from "../load";
import type { Deployment } from "./fleet";
import type { LoadCommand } from "./load-child";
import { ROOT } from "./processes";

// Rounds of load from the load generator's own process, with the CPU each service process
// used over every run read from /proc: the deployed benchmark's measurements and their table.

export interface LoadGenerator {
  pid: number;
  run(command: LoadCommand): Promise<LoadResult>;
  stop(): Promise<void>;
}

/** The load generator (load-child.ts) as a process of its own, one run at a time. */
export function startLoadGenerator(env: Record<string, string>): LoadGenerator {
  const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "load-child.ts")], {
    cwd: ROOT,
    env,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.(line));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return {
    pid: child.pid!,
    run(command) {
      return new Promise((done, fail) => {
        waiting.push((line) => {
          const parsed = JSON.parse(line) as LoadResult & { error?: string };
          if (parsed.error) fail(new Error(`load generator: ${parsed.error}`));
          else done(parsed);
        });
        child.stdin.write(`${JSON.stringify(command)}\n`);
      });
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

/** One target of a scenario: a deployment asked with the same bodies again and again. */
export interface Target {
  name: string;
  deployment: Deployment;
  bodiesFile: string;
  headers: Record<string, string>;
  /** Runs before each measured run (e.g. dropping the cache, for cold runs). */
  before?: () => Promise<void>;
}

export interface Measured extends LoadResult {
  /** CPU ms per request of the gateway process and of its registries' processes combined. */
  gatewayMs: number;
  registriesMs: number;
}

/** Throws unless the target answers its first body with data and no GraphQL errors. */
async function verify(target: Target): Promise<void> {
  const [body] = JSON.parse(readFileSync(target.bodiesFile, "utf8")) as string[];
  const response = await fetch(target.deployment.gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...target.headers },
    body,
  });
  const reply = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (!response.ok || reply.errors?.length || !reply.data || Object.values(reply.data).includes(null))
    throw new Error(
      `${target.name} answered HTTP ${response.status}: ${JSON.stringify(reply).slice(0, 500)}`,
    );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export interface ScenarioResult {
  rows: Measured[];
  /** Per non-baseline target: its throughput over the baseline's in each round. */
  ratios: number[][];
  rounds: number;
  seconds: number;
  connections: number;
}

/** Warms every target up, then runs BENCH_ROUNDS rounds over them, the order flipped each round. */
export async function measure(load: LoadGenerator, targets: Target[]): Promise<ScenarioResult> {
  const rounds = Number(process.env.BENCH_ROUNDS || 5);
  const seconds = Number(process.env.BENCH_SECONDS || 5);
  const connections = Number(process.env.BENCH_CONNECTIONS || 16);
  const once = async (target: Target, secs: number): Promise<Measured> => {
    await target.before?.();
    const { gateway, registries } = target.deployment;
    const registriesCpu = () => registries.reduce((sum, service) => sum + service.cpuMs(), 0);
    const before = [gateway.cpuMs(), registriesCpu()];
    const result = await load.run({
      name: target.name,
      url: target.deployment.gateway.url,
      bodiesFile: target.bodiesFile,
      headers: target.headers,
      seconds: secs,
      connections,
    });
    const after = [gateway.cpuMs(), registriesCpu()];
    const requests = Math.max(1, result.requestsPerSecond * secs);
    const [gatewayMs, registriesMs] = after.map((value, i) => (value - before[i]) / requests);
    return { ...result, gatewayMs, registriesMs };
  };
  // A target answering errors with HTTP 200 would look fast: one request of each is read first.
  for (const target of targets) await verify(target);
  // JIT, query plans, connection pools first; not measured.
  for (const target of targets) await once(target, Math.min(3, seconds));
  const runs = targets.map((): Measured[] => []);
  const ratios = targets.slice(1).map((): number[] => []);
  for (let round = 0; round < rounds; round += 1) {
    const order = targets.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) runs[i].push(await once(targets[i], seconds));
    for (let i = 1; i < targets.length; i += 1)
      ratios[i - 1].push(runs[i][round].requestsPerSecond / runs[0][round].requestsPerSecond);
  }
  const rows = runs.map((list, i): Measured => ({
    name: targets[i].name,
    requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
    p50Ms: median(list.map((r) => r.p50Ms)),
    p99Ms: median(list.map((r) => r.p99Ms)),
    errors: list.reduce((sum, r) => sum + r.errors, 0),
    gatewayMs: median(list.map((r) => r.gatewayMs)),
    registriesMs: median(list.map((r) => r.registriesMs)),
  }));
  return { rows, ratios, rounds, seconds, connections };
}

/** The scenario's Markdown table: medians over the rounds, throughput as the median of round ratios. */
export function deployedTable(result: ScenarioResult): string {
  const lines = [
    `| target | req/s | p50 ms | p99 ms | errors | gateway CPU ms/req | registries CPU ms/req | throughput vs ${result.rows[0].name} |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  result.rows.forEach((r, i) => {
    const ratio =
      i === 0
        ? "1.00x"
        : `${median(result.ratios[i - 1]).toFixed(2)}x (${result.ratios[i - 1].map((x) => x.toFixed(2)).join(", ")})`;
    lines.push(
      `| ${r.name} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.errors} | ` +
        `${r.gatewayMs.toFixed(2)} | ${r.registriesMs.toFixed(2)} | ${ratio} |`,
    );
  });
  return lines.join("\n");
}

export { median };
