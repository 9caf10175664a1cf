import { ApolloServer } from "@apollo/server";
import { createLogger } from "@onecert/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTrace, type GatewayContext } from "../../context";
import { limitsPlugin, type QueryLimits } from ".";

const limits: QueryLimits = {
  maxDepth: 3,
  maxAliases: 2,
  maxRootFields: 3,
  maxCost: 50,
  defaultListSize: 10,
  maxDocumentBytes: 400,
};

const contextValue: GatewayContext = {
  requestId: "test",
  log: createLogger("test"),
  client: null,
  purpose: { operatorId: null, matterCode: null, caseNumber: null },
  trace: newTrace(),
};

let server: ApolloServer<GatewayContext>;

beforeAll(async () => {
  server = new ApolloServer<GatewayContext>({
    typeDefs: `
      type Query { hello: String person(id: ID!): Person persons(ids: [ID!]!): [Person!]! }
      type Person { id: ID! name: String spouse: Person }
    `,
    resolvers: {
      Query: {
        hello: () => "hi",
        person: (_: unknown, { id }: { id: string }) => ({ id, name: "A" }),
        persons: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id, name: "A" })),
      },
    },
    plugins: [limitsPlugin(limits)],
  });
  await server.start();
});

afterAll(() => server.stop());

async function run(query: string, variables?: Record<string, unknown>) {
  const response = await server.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== "single") throw new Error("expected a single result");
  return { status: response.http.status, ...response.body.singleResult };
}

describe("limitsPlugin", () => {
  it("lets an operation within every limit run", async () => {
    const reply = await run(`{ person(id: "1") { name spouse { name } } }`);
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ person: { name: "A", spouse: null } });
  });

  it.each([
    ["maxDepth", `{ person(id: "1") { spouse { spouse { name } } } }`, 3, 4],
    ["maxAliases", `{ a: hello b: hello c: hello }`, 2, 3],
    [
      "maxRootFields",
      `{ hello person(id: "1") { id } ...R } fragment R on Query { x: persons(ids: []) { id } y: hello }`,
      3,
      4,
    ],
    // persons 1 + 10 × (id 1 + name 1 + spouse (1 + 2))
    [
      "maxCost",
      `{ persons(ids: ["0","1","2","3","4","5","6","7","8","9"]) { id name spouse { id name } } }`,
      50,
      51,
    ],
    ["maxDocumentBytes", `{ hello } # ${"é".repeat(200)}`, 400, 412],
  ] as const)("refuses an operation over %s", async (name, query, limit, actual) => {
    const reply = await run(query);
    expect(reply.status).toBe(400);
    expect(reply.data).toBeUndefined();
    expect(reply.errors?.[0]?.extensions).toEqual({
      code: "QUERY_TOO_COMPLEX",
      limitName: name,
      limit,
      actual,
    });
    expect(reply.errors?.[0]?.message).toContain(`is ${actual}, over the limit of ${limit}`);
  });

  it("prices the same document by its variables", async () => {
    const query = `query($ids: [ID!]!) { persons(ids: $ids) { id name } }`;
    const small = await run(query, { ids: ["1", "2"] });
    expect(small.errors).toBeUndefined();
    const big = await run(query, { ids: Array.from({ length: 100 }, (_, index) => String(index)) });
    expect(big.status).toBe(400);
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: 50, actual: 201 });
  });

  it("measures document size in UTF-8 bytes", async () => {
    // 195 two-byte characters: under 400 characters, over 400 bytes.
    const query = `{ hello } # ${"é".repeat(195)}`;
    expect(query.length).toBeLessThan(400);
    const reply = await run(query);
    expect(reply.errors?.[0]?.extensions).toMatchObject({ limitName: "maxDocumentBytes", actual: 402 });
  });
});
