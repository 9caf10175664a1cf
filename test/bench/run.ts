import { cpus } from "node:os";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { REGISTRIES, startStack } from "@onecert/cli";
import { createLogger, DATA_DIR, startRegistry } from "@onecert/subgraph-kit";
import { table } from "./load";
import { benchWindow, type BenchContext, type Scenario, type ScenarioReport } from "./scenario";

/**
 * `npm run bench [-- <scenario> ...]`: seeds (or reuses) one world, starts every service in this
 * process and runs each scenario of test/bench/scenarios/ (or the ones named) against it,
 * printing a Markdown table per scenario. Gateways are uncached unless a scenario says otherwise.
 */
async function main(): Promise<void> {
  // Scenarios measure what they name; only the cache scenario turns caching on, for its own gateway.
  process.env.CACHE_ENABLED ??= "false";
  // One log line per request would cost more than some of the targets measured.
  process.env.LOG_LEVEL ??= "warn";
  const persons = Number(process.env.BENCH_PERSONS || 10_000);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const wanted = process.argv.slice(2);
  const scenarios = (await loadScenarios()).filter(
    (scenario) => wanted.length === 0 || wanted.includes(scenario.name),
  );
  if (scenarios.length === 0)
    throw new Error(`no scenario named ${wanted.join(", ")} in test/bench/scenarios`);
  // Scenarios that measure code alone run before (and, when only they are asked for, without) the stack.
  for (const scenario of scenarios) if (scenario.standalone) print(await scenario.run());
  if (scenarios.every((scenario) => scenario.standalone)) return;

  const stack = await startStack({
    databaseUrl,
    dataDir: resolve(DATA_DIR, `bench-pglite-${persons}`),
    seedPersons: persons,
    gateway: { port: 0 },
  });
  // The registries again, on the same data, as bare subgraphs (see BenchContext.bareSubgraphUrls).
  const bare = await Promise.all(
    REGISTRIES.map((definition) =>
      startRegistry({
        definition,
        db: stack.db,
        port: 0,
        logger: createLogger(`${definition.name}-bare`),
        trust: stack.trust,
        benchmarkBaselineWithoutHop: true,
      }),
    ),
  );
  try {
    const services: { name: string; url: string }[] = [...stack.registries];
    const certificates = (stack as { certificates?: { name: string; url: string } }).certificates;
    if (certificates) services.push(certificates);
    const context: BenchContext = {
      stack,
      persons,
      databaseUrl,
      headers: await benchWindow(stack),
      subgraphUrls: Object.fromEntries(services.map((service) => [service.name, service.url])),
      bareSubgraphUrls: Object.fromEntries(
        [...bare, ...services.filter((service) => !bare.some((b) => b.name === service.name))].map(
          (service) => [service.name, service.url],
        ),
      ),
      async subjects(offset, count) {
        const rows = await stack.db.query<{ id_number: string }>(
          "SELECT id_number FROM population.persons WHERE status = 'ACTIVE' ORDER BY id_number OFFSET $1 LIMIT $2",
          [offset, count],
        );
        return rows.map((row) => row.id_number);
      },
    };
    const seconds = Number(process.env.BENCH_SECONDS || 5);
    console.log(
      `\nOneCert benchmark: ${persons.toLocaleString("en")} persons, ${databaseUrl ? "PostgreSQL" : "embedded PGlite"}, ` +
        `Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${seconds} s per target, ` +
        `16 connections, every service and the load generator in one process`,
    );
    for (const scenario of scenarios) if (!scenario.standalone) print(await scenario.run(context));
  } finally {
    await Promise.all(bare.map((registry) => registry.stop()));
    await stack.stop();
  }
}

function print(report: ScenarioReport): void {
  console.log(`\n### ${report.title}\n`);
  console.log(report.markdown ?? table(report.results, report.baseline));
  if (report.summary.length) console.log(`\n${report.summary.join("\n")}`);
}

/** Every `scenario` exported by a module in test/bench/scenarios/, in file-name order. */
async function loadScenarios(): Promise<Scenario[]> {
  const dir = join(__dirname, "scenarios");
  const files = readdirSync(dir).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));
  const modules = await Promise.all(
    files.sort().map((file) => import(join(dir, file)) as Promise<{ scenario?: Scenario }>),
  );
  return modules
    .map((module) => module.scenario)
    .filter((scenario): scenario is Scenario => scenario !== undefined);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
