import {
  defaultAsOf,
  openTestDb,
  postGraphQL,
  samples,
  type GraphQLReply,
  type Sample,
} from "@onecert/subgraph-kit";

import { startStack, type Stack, type StackOptions } from "../../gateway/src";

export { postGraphQL };

/**
 * The world every end-to-end test seeds: small and fixed, with data up to last month, which is
 * what the registries take as "now" when a query names no period.
 */
export const TEST_WORLD = { persons: 1000, seed: 1, asOf: defaultAsOf() } as const;

export interface TestStack {
  stack: Stack;
  /** Demo subject id by case, e.g. sample("person-two-homes"). */
  sample(caseId: string): string;
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
    ...options,
  }).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  const list: Sample[] = samples(TEST_WORLD);
  return {
    stack,
    sample(caseId) {
      const found = list.find((sample) => sample.case === caseId);
      if (!found) throw new Error(`no sample case ${caseId}`);
      return found.id;
    },
    gql: (query, variables, headers) => postGraphQL(stack.gateway.url, query, variables, headers),
    async stop() {
      await stack.stop();
      await db.close();
    },
  };
}
