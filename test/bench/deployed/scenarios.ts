import type { Fleet, GatewayKind } from "./fleet";
import { median, type ScenarioResult, type Target } from "./measure";

// The deployed benchmark's scenarios; `npm run bench:deployed -- <name> ...` runs the named ones.

export interface DeployedContext {
  fleet: Fleet;
  /** Request bodies (files of JSON strings): the README query on fresh subjects, on 8 repeated ones, the check. */
  files: { cold: string; warm: string; check: string };
  headers: { readme: Record<string, string>; check: Record<string, string> };
  /** Moves the shared Redis cache to a new generation: nothing cached is read any more. */
  dropCache(): Promise<void>;
}

export interface DeployedScenario {
  name: string;
  title: string;
  gateways: GatewayKind[];
  redis?: boolean;
  targets(context: DeployedContext): Promise<Target[]>;
  summary(result: ScenarioResult): string[];
}

const percent = (result: ScenarioResult, i = 0) => `${(median(result.ratios[i]) * 100).toFixed(1)} %`;

const cpuLine = (result: ScenarioResult) =>
  `CPU ms per request (gateway process; registries' processes combined): ` +
  result.rows.map((r) => `${r.name} ${r.gatewayMs.toFixed(2)}; ${r.registriesMs.toFixed(2)}`).join(" | ");

export const SCENARIOS: DeployedScenario[] = [
  {
    name: "cold",
    title: "README query, caching off, fresh subjects (cold path): OneCert vs plain @apollo/gateway",
    gateways: ["plain", "off"],
    async targets({ fleet, files, headers }) {
      return [
        {
          name: "plain @apollo/gateway",
          deployment: await fleet.deployment("plain"),
          bodiesFile: files.cold,
          headers: {},
        },
        {
          name: "OneCert, caching off",
          deployment: await fleet.deployment("off"),
          bodiesFile: files.cold,
          headers: headers.readme,
        },
      ];
    },
    summary: (result) => [`OneCert throughput: ${percent(result)} of plain.`, cpuLine(result)],
  },
  {
    name: "cache-cold",
    title: "README query, caching on (Redis) but cold (the cache dropped before each run): OneCert vs plain",
    gateways: ["plain", "cache"],
    redis: true,
    async targets({ fleet, files, headers, dropCache }) {
      return [
        {
          name: "plain @apollo/gateway",
          deployment: await fleet.deployment("plain"),
          bodiesFile: files.cold,
          headers: {},
        },
        {
          name: "OneCert, cache cold",
          deployment: await fleet.deployment("cache"),
          bodiesFile: files.cold,
          headers: headers.readme,
          before: dropCache,
        },
      ];
    },
    summary: (result) => [`Cold/plain throughput: ${percent(result)} (target >= 90 %).`, cpuLine(result)],
  },
  {
    name: "cache-warm",
    title:
      "README query, caching on (Redis), warm (8 subjects again and again): OneCert vs plain (fresh subjects)",
    gateways: ["plain", "cache"],
    redis: true,
    async targets({ fleet, files, headers }) {
      return [
        {
          name: "plain @apollo/gateway",
          deployment: await fleet.deployment("plain"),
          bodiesFile: files.cold,
          headers: {},
        },
        {
          name: "OneCert, cache warm",
          deployment: await fleet.deployment("cache"),
          bodiesFile: files.warm,
          headers: headers.readme,
        },
      ];
    },
    summary: (result) => {
      const [plain, warm] = result.rows;
      return [
        `Warm/plain throughput: ${median(result.ratios[0]).toFixed(2)}x (target >= 5); ` +
          `warm p50 ${((warm.p50Ms / plain.p50Ms) * 100).toFixed(0)} % of plain's (target <= 20 %).`,
        cpuLine(result),
      ];
    },
  },
  {
    name: "tracing",
    title:
      "Tracing: README query, caching off, fresh subjects (cold path), OneCert with tracing off and on (100 %)",
    gateways: ["off", "traced"],
    async targets({ fleet, files, headers }) {
      return [
        {
          name: "tracing off",
          deployment: await fleet.deployment("off"),
          bodiesFile: files.cold,
          headers: headers.readme,
        },
        {
          name: "tracing on (100 %, OTLP/HTTP to a discarding sink)",
          deployment: await fleet.deployment("traced"),
          bodiesFile: files.cold,
          headers: headers.readme,
        },
      ];
    },
    summary: (result) => {
      const [off, on] = result.rows;
      return [
        `Throughput with tracing on: ${percent(result)} of off (issue 13's budget: at least 90 %).`,
        `Gateway CPU ms per request off / on: ${off.gatewayMs.toFixed(2)} / ${on.gatewayMs.toFixed(2)} ` +
          `(+${((on.gatewayMs / off.gatewayMs - 1) * 100).toFixed(0)} %); registries combined ` +
          `${off.registriesMs.toFixed(2)} / ${on.registriesMs.toFixed(2)}.`,
      ];
    },
  },
  {
    name: "hop",
    title:
      "The signed hop: README query, caching off, fresh subjects, OneCert signing every subgraph call to " +
      "registries that verify it and keep their access log, against OneCert unsigned to bare registries",
    gateways: ["unsigned", "off"],
    async targets({ fleet, files, headers }) {
      return [
        {
          name: "hop off (unsigned, bare registries)",
          deployment: await fleet.deployment("unsigned"),
          bodiesFile: files.cold,
          headers: headers.readme,
        },
        {
          name: "hop on (signed, verified, access log)",
          deployment: await fleet.deployment("off"),
          bodiesFile: files.cold,
          headers: headers.readme,
        },
      ];
    },
    summary: (result) => [
      `Throughput with the hop: ${percent(result)} of without (budget: at least 95 %).`,
      cpuLine(result),
    ],
  },
  {
    name: "check",
    title:
      "checkMatter (public-rental-housing: 3 certificates, one data request), caching off, fresh subjects",
    gateways: ["off"],
    async targets({ fleet, files, headers }) {
      const deployment = await fleet.deployment("off");
      const certificates = await fleet.certificates();
      await fleet.certificatesCall(deployment.gateway);
      return [
        {
          name: "checkMatter, cold",
          deployment: { gateway: deployment.gateway, registries: [...deployment.registries, certificates] },
          bodiesFile: files.check,
          headers: headers.check,
        },
      ];
    },
    summary: (result) => [
      `Checks per second ${result.rows[0].requestsPerSecond.toFixed(0)}; each is two gateway requests (the check, ` +
        `and the certificates service's data request back through the gateway, here via a relay in the runner). ` +
        `"registries" includes the certificates process.`,
    ],
  },
];
