import { randomBytes } from "node:crypto";
import { loadGatewayConfig, startGateway, type RunningGateway } from "@onecert/gateway";
import { startCertificates, type RunningCertificates } from "@onecert/certificates";
import { certificatesConfigFor } from "@onecert/cli";
import { mergeChecks } from "@onecert/catalogue";
import { runLoad, type LoadResult } from "../load";
import { mean, type BenchContext, type Scenario } from "../scenario";

const MATTER = "public-rental-housing";
/** The 3-certificate matter: household registration in the city, no housing, 12+ months of contributions. */
const CHECK = `query Check($id: IdNumber!) {
  checkMatter(matter: "${MATTER}", subjects: [{ idNumber: $id }]) {
    outcome verdicts { certificate { id } status reason evidence }
  }
}`;
/** A request that crosses the gateway into the certificates service and reads no registry. */
const HOP = JSON.stringify({ query: "{ matters { code } }" });
/** Subjects asked again and again in the warm runs. */
const WARM_SUBJECTS = 8;

/**
 * Certificate checks per second, cold (a subject never checked before on every request: every
 * registry is read) and warm (the same few subjects: the gateway's entity cache answers), through
 * a caching gateway and a certificates service of the scenario's own, as a window client would.
 */
export const scenario: Scenario = {
  name: "certificates",
  async run(context) {
    const { gateway, certificates } = await startPair(context);
    const headers = await checkWindow(context);
    const rounds = Number(process.env.BENCH_ROUNDS || 1);
    try {
      const bodies = (ids: readonly string[]) =>
        ids.map((id) => JSON.stringify({ query: CHECK, variables: { id } }));
      const perRun = Number(process.env.BENCH_COLD_CHECKS || 3000);
      let next = 0;
      const fresh = () => context.subjects((next += perRun) - perRun, perRun);
      // JIT, plans and connections first, on subjects measured nowhere below.
      await runLoad("warm-up", gateway.url, { bodies: bodies(await fresh()), headers, seconds: 2 });
      const warm = await context.subjects(next, WARM_SUBJECTS);
      const data = dataRequest(certificates);
      const runs = new Map<string, LoadResult[]>();
      for (let round = 0; round < rounds; round += 1) {
        for (const [name, ids, body] of [
          ["3-certificate check, cold (new subject each time)", await fresh(), bodies],
          ["3-certificate check, warm (8 subjects again and again)", warm, bodies],
          ["its data request alone, cold", await fresh(), data],
          ["its data request alone, warm", warm, data],
          ["the hop alone: gateway → certificates, no data (matters)", warm, () => [HOP]],
        ] as const) {
          const result = await runLoad(name, gateway.url, { bodies: body(ids), headers });
          runs.set(name, [...(runs.get(name) ?? []), result]);
          // Checks still in flight when the load stops finish before the next target starts.
          await drain(gateway.url, headers);
        }
      }
      const results = [...runs].map(([name, list]) => mean(name, list));
      const [cold, warmResult, dataCold] = results as [LoadResult, LoadResult, LoadResult];
      return {
        title: `Certificate checks: ${MATTER} (3 certificates, one data request, 3 registries)`,
        results,
        baseline: cold,
        summary: [
          `Checks per second: cold ${cold.requestsPerSecond.toFixed(0)}, warm ${warmResult.requestsPerSecond.toFixed(0)}; ` +
            `p50/p99 cold ${cold.p50Ms.toFixed(1)}/${cold.p99Ms.toFixed(1)} ms, warm ${warmResult.p50Ms.toFixed(1)}/${warmResult.p99Ms.toFixed(1)} ms. ` +
            `Each check is two gateway requests (the check and its data request), both audited; ` +
            `cold, the check runs at ${((cold.requestsPerSecond / dataCold.requestsPerSecond) * 100).toFixed(0)}% of its data request's rate. ${rounds} run(s) per target.`,
        ],
      };
    } finally {
      await gateway.stop();
      await certificates.stop();
    }
  },
};

/** A caching gateway and a certificates service that sends its data requests to it. */
async function startPair(
  context: BenchContext,
): Promise<{ gateway: RunningGateway; certificates: RunningCertificates }> {
  const base = loadGatewayConfig({});
  const id = randomBytes(4).toString("hex");
  const cache = {
    ...base.cache,
    enabled: true,
    debugHeader: false,
    keyPrefix: `onecert:bench-${id}:`,
    maxEntries: 200_000,
  };
  const subgraphUrls = { ...context.subgraphUrls };
  const config = loadGatewayConfig(process.env, { port: 0, subgraphUrls, cache });
  const certificates = await startCertificates({
    db: context.stack.db,
    config: await certificatesConfigFor(config, process.env, { port: 0 }),
  });
  subgraphUrls.certificates = certificates.url;
  const gateway = await startGateway(config, { db: context.stack.db }).catch(async (error: unknown) => {
    await certificates.stop();
    throw error;
  });
  certificates.setGatewayUrl(gateway.url);
  return { gateway, certificates };
}

/** A window client granted (masked) what the matter's certificates read, without a practical rate limit. */
async function checkWindow(context: BenchContext): Promise<Record<string, string>> {
  const { identity, grants } = context.stack.gateway.access;
  const stamp = Date.now().toString(36);
  const admin = await identity.createClient({
    name: `bench-cert-admin-${stamp}`,
    role: "admin",
    department: "bench",
  });
  const window = await identity.createClient({
    name: `bench-cert-window-${stamp}`,
    role: "window",
    department: "government-service-center",
    rateLimitPerMinute: 10_000_000,
  });
  const requested = await grants.request({
    clientId: window.client.id,
    fields: ["Person.realEstate", "RealEstate.*", "Person.socialInsurance", "SocialInsurance.*"],
    matters: [MATTER],
    clearValues: false,
    validUntil: new Date(Date.now() + 86_400_000),
    reason: "benchmark",
    requestedBy: admin.client.id,
  });
  await grants.approve(requested.id, admin.client.id);
  return {
    authorization: `Bearer ${window.apiKey}`,
    "x-operator-id": "bench-clerk",
    "x-matter-code": MATTER,
  };
}

/** The one merged operation a check of the matter sends through the gateway, as request bodies per subject. */
function dataRequest(certificates: RunningCertificates): (ids: readonly string[]) => string[] {
  const { catalogue } = certificates.service;
  const items = catalogue.matters.get(MATTER)!.certificates.map((entry) => ({
    certificate: catalogue.certificates.get(entry.type)!,
    subjectKind: "person" as const,
    subjectKey: "",
    parameters: entry.parameters,
  }));
  const merged = mergeChecks(items);
  return (ids) =>
    ids.map((id) => JSON.stringify({ query: merged.query, variables: { ...merged.variables, person: id } }));
}

/** Waits until one cheap request through the gateway answers promptly: the previous target's backlog is gone. */
async function drain(url: string, headers: Record<string, string>): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const started = performance.now();
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: HOP,
    });
    if (performance.now() - started < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
