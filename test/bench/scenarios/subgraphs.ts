import { samples } from "@onecert/synthetic-world";
import { loadGatewayConfig, startGateway } from "@onecert/gateway";
import { README_QUERY } from "@onecert/cli";
import { capturingProxy, type CapturedRequest } from "../capture";
import { runLoad, type LoadResult } from "../load";
import type { Scenario } from "../scenario";

/**
 * The README query through the gateway (caching off), and each subgraph called directly with the
 * operation the gateway sends it for that query, side by side: what federation itself costs. One
 * subject asked by 16 connections at once: identical subgraph fetches in flight are sent once.
 */
export const scenario: Scenario = {
  name: "subgraphs",
  async run({ stack, headers, subgraphUrls, bareSubgraphUrls }) {
    const subject = samples(stack.world!).find((sample) => sample.case === "person-showcase")!.id;
    const body = JSON.stringify({ query: README_QUERY, variables: { id: subject } });

    // Learn the subgraph operations of one README query through recording proxies.
    const captured: CapturedRequest[] = [];
    const proxies = await Promise.all(
      Object.entries(subgraphUrls).map(([name, url]) => capturingProxy(name, url, captured)),
    );
    const proxied = Object.fromEntries(proxies.map((proxy, i) => [Object.keys(subgraphUrls)[i], proxy.url]));
    const config = {
      port: 0,
      subgraphUrls: proxied,
      cache: { ...loadGatewayConfig({}).cache, enabled: false },
    };
    const probe = await startGateway(loadGatewayConfig(process.env, config), { db: stack.db });
    await fetch(probe.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    await probe.stop();
    await Promise.all(proxies.map((proxy) => proxy.close()));

    const gateway = await runLoad("gateway: README query", stack.gateway.url, { bodies: [body], headers });
    const results: LoadResult[] = [gateway];
    // Only the README query's own operations (named Citizen__<subgraph>__<n> by the planner), not
    // the health probes the gateway sends meanwhile.
    for (const request of captured.filter((one) => one.body.includes('"operationName":"Citizen__'))) {
      results.push(
        // Sent again as captured: a bare copy, since the registry itself refuses a used assertion.
        await runLoad(`${request.subgraph} direct`, bareSubgraphUrls[request.subgraph], {
          bodies: [request.body],
        }),
      );
    }
    const direct = results.slice(1);
    const slowest = direct.reduce((a, b) => (a.requestsPerSecond < b.requestsPerSecond ? a : b));
    return {
      title: "Gateway (caching off) and each subgraph alone, README query",
      results,
      baseline: gateway,
      summary: [
        `Gateway throughput / slowest subgraph alone (${slowest.name}): ` +
          `${(gateway.requestsPerSecond / slowest.requestsPerSecond).toFixed(2)}; gateway p50 / sum of subgraph p50s: ` +
          `${(gateway.p50Ms / direct.reduce((sum, r) => sum + r.p50Ms, 0)).toFixed(2)}`,
      ],
    };
  },
};
