import { REGISTRIES } from "@onecert/cli";
import { createLogger, openDb, startRegistry } from "@onecert/subgraph-kit";
import { loadGatewayConfig, startGateway, urlVariable } from "@onecert/gateway";
import { startPlainGateway } from "../plain-gateway";

// The baseline's processes of the deployed benchmark (`node --import tsx baseline-child.ts ...`),
// each on port 0 like every other service:
//   plain             a plain @apollo/gateway (test/bench/plain-gateway.ts), subgraphs from SUBGRAPH_URL_<NAME>
//   registry <name>   a registry served bare (no assertion verified, no access log) on DATABASE_URL,
//                     what a plain federation's subgraph is
//   unsigned          a OneCert gateway configured as `onecert serve gateway`, its subgraph calls
//                     unsigned (a benchmark-only option): the hop's cost is this against the real one

async function main(): Promise<void> {
  const [kind, name] = process.argv.slice(2);
  let stop: () => Promise<void>;
  if (kind === "plain") {
    const urls = Object.fromEntries(
      REGISTRIES.map((registry) => [registry.name, process.env[urlVariable(registry.name)] ?? ""]),
    );
    stop = (await startPlainGateway(urls)).stop;
  } else if (kind === "unsigned") {
    const gateway = await startGateway(loadGatewayConfig(), { withoutHopSigning: true });
    stop = () => gateway.stop();
  } else if (kind === "registry") {
    const definition = REGISTRIES.find((registry) => registry.name === name);
    if (!definition || !process.env.DATABASE_URL)
      throw new Error("registry <name> needs a registry and DATABASE_URL");
    const db = openDb({ url: process.env.DATABASE_URL });
    const service = await startRegistry({
      definition,
      db,
      port: 0,
      logger: createLogger(`${definition.name}-bare`),
      trust: { keys: { key: () => Promise.resolve(undefined) } },
      benchmarkBaselineWithoutHop: true,
    });
    stop = async () => {
      await service.stop();
      await db.close();
    };
  } else {
    throw new Error("usage: baseline-child.ts plain | unsigned | registry <name>");
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const)
    process.once(
      signal,
      () =>
        void stop().then(
          () => process.exit(0),
          // A stop that fails is reported, and the runner sees it in the exit code.
          (error: unknown) => {
            console.error(error);
            process.exit(1);
          },
        ),
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
