import { registryByName } from "@onecert/cli";
import { startRegistry } from "@onecert/subgraph-kit";
import type { TestStack } from "./stack";

/** Matters whose certificates the tests check, and the CONDITIONAL data those certificates read. */
const MATTERS = [
  "public-rental-housing",
  "home-purchase-qualification",
  "newborn",
  "enterprise-change",
  "retirement",
  "subsistence-allowance-review",
  "property-transaction",
  "enterprise-qualification",
  "proof-verification",
];
const FIELDS = [
  "Person.realEstate",
  "RealEstate.*",
  "Person.socialInsurance",
  "SocialInsurance.*",
  "Enrolment.*",
  "Retirement.*",
  "Person.maritalStatus",
  "Person.spouse",
  "Enterprise.realEstate",
];

export interface CertificateWindow {
  clientId: string;
  apiKey: string;
  /** Request headers serving `matter`, optionally with a case number. */
  headers(matter: string, caseNumber?: string): Record<string, string>;
}

/** A window client granted (masked) what every matter's certificates read, as a service hall has. */
export async function certificateWindow(
  t: TestStack,
  name: string,
  client: { rateLimitPerMinute?: number; safelist?: boolean; department?: string } = {},
): Promise<CertificateWindow> {
  const { identity, grants } = t.stack.gateway.access;
  const admin = await identity.createClient({
    name: `${name}-admin`,
    role: "admin",
    department: "data-administration-bureau",
  });
  const window = await identity.createClient({
    name,
    role: "window",
    ...client,
    department: client.department ?? "government-service-center",
  });
  const requested = await grants.request({
    clientId: window.client.id,
    fields: FIELDS,
    matters: MATTERS,
    clearValues: false,
    validUntil: new Date(Date.now() + 86_400_000),
    reason: "certificate checks",
    requestedBy: admin.client.id,
  });
  await grants.approve(requested.id, admin.client.id);
  return {
    clientId: window.client.id,
    apiKey: window.apiKey,
    headers: (matter, caseNumber) => ({
      authorization: `Bearer ${window.apiKey}`,
      "x-operator-id": "clerk-042",
      "x-matter-code": matter,
      ...(caseNumber ? { "x-case-number": caseNumber } : {}),
    }),
  };
}

/** Stops one registry of the stack; the returned function starts it again on the same port. */
export async function takeDown(t: TestStack, name: string): Promise<() => Promise<void>> {
  const index = t.stack.registries.findIndex((service) => service.name === name);
  const running = t.stack.registries[index];
  await running.stop();
  return async () => {
    t.stack.registries[index] = await startRegistry({
      definition: registryByName(name)!,
      db: t.stack.db,
      port: running.port,
      trust: t.stack.trust,
    });
  };
}

/** Subgraph fetches the gateway has made so far, by subgraph (from its metrics). */
export async function fetchCounts(t: TestStack): Promise<Map<string, number>> {
  const text = await t.stack.gateway.metrics.registry.getSingleMetricAsString(
    "onecert_subgraph_fetch_duration_seconds",
  );
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^onecert_subgraph_fetch_duration_seconds_count\{(.*)\} (\d+)/.exec(line);
    const subgraph = match && /subgraph="([^"]+)"/.exec(match[1])?.[1];
    if (subgraph) counts.set(subgraph, (counts.get(subgraph) ?? 0) + Number(match[2]));
  }
  return counts;
}
