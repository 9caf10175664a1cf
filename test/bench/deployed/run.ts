import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { README_QUERY } from "@onecert/cli";
import { loadGatewayConfig, openCacheStore } from "@onecert/gateway";
import { createLogger } from "@onecert/subgraph-kit";
import { createFleet } from "./fleet";
import { deployedTable, measure, startLoadGenerator } from "./measure";
import { SCENARIOS } from "./scenarios";
import {
  CHECK_MATTER,
  gatewayDatabase,
  provisionWindows,
  REDIS_URL,
  registriesDatabase,
  requireServices,
  subjects,
} from "./setup";

/**
 * `npm run bench:deployed [-- <scenario> ...]`: OneCert measured the way it is deployed, every
 * service in its own OS process (`onecert serve <service>`, the compiled CLI) on PostgreSQL, the
 * cache on Redis, the load generator in a process of its own; CPU per request read of each
 * process from /proc. Scenarios: cold, cache-cold, cache-warm, tracing, check (default: all).
 */

/** As test/bench/scenarios/certificates.ts asks it. */
const CHECK = `query Check($id: IdNumber!) {
  checkMatter(matter: "${CHECK_MATTER}", subjects: [{ idNumber: $id }]) {
    outcome verdicts { certificate { id } status reason evidence }
  }
}`;
const WARM_SUBJECTS = 8;

const uptime = () => execFileSync("uptime", { encoding: "utf8" }).trim();

/** An OTLP/HTTP endpoint that reads every export and throws it away, counting what came. */
async function discardingSink() {
  const seen = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    seen.requests += 1;
    req.on("data", (chunk: Buffer) => void (seen.bytes += chunk.length)).on("end", () => res.end("{}"));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((done) => server.close(done)),
  };
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length)
    throw new Error(
      `no deployed scenario named ${unknown.join(", ")}: ${SCENARIOS.map((s) => s.name).join(", ")}`,
    );
  const scenarios = SCENARIOS.filter((scenario) => wanted.length === 0 || wanted.includes(scenario.name));
  const persons = Number(process.env.BENCH_PERSONS || 10_000);
  const loadBefore = uptime();
  await requireServices(scenarios.some((scenario) => scenario.redis));

  const dataDir = mkdtempSync(join(tmpdir(), "onecert-bench-deployed-"));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (
      value !== undefined &&
      !/^(VITEST|DATABASE_URL|REDIS_URL|GATEWAY_|AUDIT_|SUBGRAPH_URL_|OTEL_|CACHE_|PORT$|NODE_OPTIONS$)/.test(
        name,
      )
    )
      env[name] = value;
  // One log line per request would cost more than some of the targets measured.
  Object.assign(env, { LOG_LEVEL: "warn", HOST: "127.0.0.1", ONECERT_DATA_DIR: dataDir });

  const registriesUrl = await registriesDatabase(persons, env);
  const gatewayDb = await gatewayDatabase();
  const sink = await discardingSink();
  const cachePrefix = `onecert:bench-deployed-${randomBytes(4).toString("hex")}`;
  const fleet = await createFleet({
    env,
    registriesUrl,
    gatewayUrl: gatewayDb.url,
    redisUrl: REDIS_URL,
    cachePrefix,
    otlpEndpoint: sink.endpoint,
  });
  const load = startLoadGenerator(env);
  const cacheConfig = loadGatewayConfig({
    CACHE_ENABLED: "true",
    CACHE_KEY_PREFIX: `${cachePrefix}:`,
    REDIS_URL,
  }).cache;
  const cache = scenarios.some((scenario) => scenario.redis)
    ? openCacheStore(cacheConfig, REDIS_URL, createLogger("bench"))
    : undefined;
  try {
    const headers = await provisionWindows(gatewayDb.url);
    const ids = await subjects(registriesUrl, WARM_SUBJECTS, 10_000_000);
    const write = (name: string, query: string, list: string[]) => {
      const file = join(dataDir, `${name}.json`);
      writeFileSync(file, JSON.stringify(list.map((id) => JSON.stringify({ query, variables: { id } }))));
      return file;
    };
    const files = {
      cold: write("cold", README_QUERY, ids),
      warm: write("warm", README_QUERY, await subjects(registriesUrl, 0, WARM_SUBJECTS)),
      check: write("check", CHECK, ids),
    };
    const dropCache = async () => {
      await cache!.clear();
      // Gateways read the shared generation again every second.
      await new Promise((done) => setTimeout(done, 1500));
    };
    const model = cpus()[0]?.model ?? "cpu";
    const node = process.version;
    console.log(
      `\nOneCert deployed benchmark: ${persons.toLocaleString("en")} persons (${ids.length} fresh subjects), PostgreSQL, ` +
        `Node ${node}, ${cpus().length} x ${model}, one process per service and for the load generator, ` +
        `${process.env.BENCH_ROUNDS || 5} rounds x ${process.env.BENCH_SECONDS || 5} s per target, ` +
        `${process.env.BENCH_CONNECTIONS || 16} connections.\nLoad before: ${loadBefore}`,
    );
    for (let i = 0; i < scenarios.length; i += 1) {
      const scenario = scenarios[i];
      // What no later scenario needs is stopped; what this one needs is started.
      await fleet.release(scenarios.slice(i).flatMap((s) => s.gateways));
      const targets = await scenario.targets({ fleet, files, headers, dropCache });
      const sent = { requests: sink.seen.requests, bytes: sink.seen.bytes };
      const result = await measure(load, targets);
      console.log(`\n### ${scenario.title}\n`);
      console.log(deployedTable(result));
      const lines = scenario.summary(result);
      if (scenario.name === "tracing")
        lines.push(
          `The OTLP sink received ${sink.seen.requests - sent.requests} exports (${((sink.seen.bytes - sent.bytes) / 1e6).toFixed(1)} MB) during the scenario.`,
        );
      const most = Math.max(...result.rows.map((r) => r.requestsPerSecond)) * result.seconds;
      if (targets.some((t) => t.bodiesFile !== files.warm) && most > ids.length)
        lines.push(
          `Note: up to ${most.toFixed(0)} requests per run for ${ids.length} fresh subjects: some repeated (seed more).`,
        );
      console.log(`\n${lines.join("\n")}\nLoad after this scenario: ${uptime()}`);
    }
  } finally {
    await load.stop();
    await fleet.stop().catch((error: unknown) => console.error(error));
    await cache?.close();
    await sink.close();
    await gatewayDb.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\nLoad after: ${uptime()}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
