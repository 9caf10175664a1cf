import { cpus } from "node:os";
import { resolve } from "node:path";
import { samples } from "@onecert/subgraph-kit";
import { loadGatewayConfig, startGateway, startStack } from "../../gateway/src";
import { README_QUERY } from "../../gateway/src/examples";
import { DATA_DIR } from "../../gateway/src/paths";
import { capturingProxy, type CapturedRequest } from "./capture";
import { runLoad, table, type LoadResult } from "./load";

/**
 * `npm run bench`: the README query through the gateway, and each subgraph called directly with
 * the operation the gateway sends it for that query, side by side in one run.
 */
async function main(): Promise<void> {
  const persons = Number(process.env.BENCH_PERSONS || 10_000);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const stack = await startStack({
    databaseUrl,
    dataDir: resolve(DATA_DIR, `bench-pglite-${persons}`),
    seedPersons: persons,
    gateway: { port: 0 },
  });
  try {
    const world = stack.world!;
    const subject = samples(world).find((sample) => sample.case === "person-showcase")!.id;
    const body = JSON.stringify({ query: README_QUERY, variables: { id: subject } });

    // Learn the subgraph operations of one README query through recording proxies.
    const captured: CapturedRequest[] = [];
    const proxies = await Promise.all(
      stack.registries.map((service) => capturingProxy(service.name, service.url, captured)),
    );
    const probe = await startGateway(
      loadGatewayConfig(process.env, {
        port: 0,
        subgraphUrls: Object.fromEntries(proxies.map((proxy, i) => [stack.registries[i]!.name, proxy.url])),
      }),
    );
    await fetch(probe.url, { method: "POST", headers: { "content-type": "application/json" }, body });
    await probe.stop();
    await Promise.all(proxies.map((proxy) => proxy.close()));

    const results: LoadResult[] = [];
    const gateway = await runLoad("gateway: README query", stack.gateway.url, { bodies: [body] });
    results.push(gateway);
    for (const request of captured) {
      const service = stack.registries.find((s) => s.name === request.subgraph)!;
      results.push(await runLoad(`${request.subgraph} direct`, service.url, { bodies: [request.body] }));
    }
    const slowest = results.slice(1).reduce((a, b) => (a.requestsPerSecond < b.requestsPerSecond ? a : b));
    console.log(
      `\nOneCert benchmark: ${persons.toLocaleString("en")} persons, ${databaseUrl ? "PostgreSQL" : "embedded PGlite"}, ` +
        `Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Number(process.env.BENCH_SECONDS || 5)} s per target, 16 connections\n`,
    );
    console.log(table(results, gateway));
    console.log(
      `\nGateway throughput / slowest subgraph alone (${slowest.name}): ${(gateway.requestsPerSecond / slowest.requestsPerSecond).toFixed(2)}; ` +
        `gateway p50 / sum of subgraph p50s: ${(gateway.p50Ms / results.slice(1).reduce((s, r) => s + r.p50Ms, 0)).toFixed(2)}`,
    );
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
