import { defaultAsOf } from "@onecert/subgraph-kit";
import { openTestDb, postGraphQL, type GraphQLReply } from "@onecert/subgraph-kit/testing";
import { samples, type Sample } from "@onecert/synthetic-world";

import { startStack, type Stack, type StackOptions } from "@onecert/cli";

export { postGraphQL };

/**
 * The world every end-to-end test seeds: small and fixed, with data up to last month, which is
 * what the registries take as "now" when a query names no period.
 */
export const TEST_WORLD = { persons: 1000, seed: 1, asOf: defaultAsOf() } as const;

/** The matter the default test caller serves: it declares every field the README query reads. */
export const TEST_MATTER = "subsistence-allowance-review";

/** Fields outside UNCONDITIONAL that the default test caller holds a clear-value grant for. */
const TEST_GRANT_FIELDS = [
  "Person.*",
  "Household.*",
  "Person.realEstate",
  "RealEstate.*",
  "Ownership.*",
  "Mortgage.*",
  "Seizure.*",
  "Person.socialInsurance",
  "SocialInsurance.*",
  "Retirement.*",
  "Enrolment.*",
  "Contribution.*",
];

export interface TestStack {
  stack: Stack;
  /** API keys of the default window client (granted, clear values) and of an admin. */
  keys: { window: string; admin: string };
  /** Headers of the default window client serving TEST_MATTER. */
  headers: Record<string, string>;
  /** Demo subject id by case, e.g. sample("person-two-homes"). */
  sample(caseId: string): string;
  /**
   * Headers of a public-security department client serving household-registration: who may
   * change the population registry, through the gateway (the registries answer no one else).
   */
  registryClerk(): Promise<Record<string, string>>;
  gql<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLReply<Data>>;
  stop(): Promise<void>;
}

/** Four registries and a gateway on free ports over a database of the test's own. */
export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  const db = await openTestDb();
  const stack = await startStack({
    db,
    seedPersons: TEST_WORLD.persons,
    seed: TEST_WORLD.seed,
    asOf: TEST_WORLD.asOf,
    // Every admin answer a test receives is checked against its OpenAPI schema.
    checkResponses: true,
    ...options,
  }).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  const list: Sample[] = samples(TEST_WORLD);
  const { identity, grants } = stack.gateway.access;
  const admin = await identity.createClient({
    name: "e2e-admin",
    role: "admin",
    department: "data-administration-bureau",
  });
  const window = await identity.createClient({
    name: "e2e-window",
    role: "window",
    department: "government-service-center",
  });
  const requested = await grants.request({
    clientId: window.client.id,
    fields: TEST_GRANT_FIELDS,
    matters: [TEST_MATTER],
    clearValues: true,
    validUntil: new Date(Date.now() + 86_400_000),
    reason: "end-to-end tests",
    requestedBy: admin.client.id,
  });
  await grants.approve(requested.id, admin.client.id);
  const headers = {
    authorization: `Bearer ${window.apiKey}`,
    "x-operator-id": "e2e-clerk",
    "x-matter-code": TEST_MATTER,
  };
  let clerk: Promise<Record<string, string>> | undefined;
  return {
    stack,
    registryClerk() {
      clerk ??= identity
        .createClient({ name: "e2e-household-clerk", role: "department", department: "public-security" })
        .then((created) => ({
          authorization: `Bearer ${created.apiKey}`,
          "x-operator-id": "ps-clerk-e2e",
          "x-matter-code": "household-registration",
        }));
      return clerk;
    },
    sample(caseId) {
      const found = list.find((sample) => sample.case === caseId);
      if (!found) throw new Error(`no sample case ${caseId}`);
      return found.id;
    },
    keys: { window: window.apiKey, admin: admin.apiKey },
    headers,
    gql: (query, variables, extra) =>
      postGraphQL(stack.gateway.url, query, variables, { ...headers, ...extra }),
    async stop() {
      await stack.stop();
      await db.close();
    },
  };
}
