import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import type { GatewayContext } from "../../context";
import { usagePlugin } from ".";

const typeDefs = `
  type Query { person(id: ID!): Person  persons: [Person!]! }
  type Person { id: ID! name: String! spouse: Person }
`;
const resolvers = {
  Query: {
    person: (_: unknown, { id }: { id: string }) => ({ id, name: `name ${id}`, spouse: null }),
    persons: () => [],
  },
};

/** A server with the usage plugin; `refuse` stands for the policy, `cached` for the response cache. */
async function serverWith(records: [string, string[]][]) {
  const refuse: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName }) {
          if (operationName === "Refused")
            throw new GraphQLError("denied", { extensions: { code: "FORBIDDEN" } });
        },
        async responseForOperation({ operationName }) {
          if (operationName !== "Cached") return null;
          return {
            http: { status: undefined, headers: new Map() } as never,
            body: { kind: "single", singleResult: { data: { persons: [] } } },
          };
        },
      };
    },
  };
  const server = new ApolloServer<GatewayContext>({
    typeDefs,
    resolvers,
    plugins: [
      refuse,
      usagePlugin({ recorder: { record: (client, fields) => void records.push([client, [...fields]]) } }),
    ],
  });
  await server.start();
  return server;
}

const context = (id: string) => ({ client: { id } }) as unknown as GatewayContext;

describe("usage plugin", () => {
  it("counts each selected field once per request, through fragments and aliases", async () => {
    const records: [string, string[]][] = [];
    const server = await serverWith(records);
    await server.executeOperation(
      {
        query: `query Find { a: person(id: "1") { ...P spouse { ...P } } b: person(id: "2") { name } }
                fragment P on Person { id name }`,
      },
      { contextValue: context("cl_a") },
    );
    expect(records).toEqual([["cl_a", ["Query.person", "Person.id", "Person.name", "Person.spouse"]]]);
    await server.stop();
  });

  it("counts responses from the cache, and nothing for a request refused before execution", async () => {
    const records: [string, string[]][] = [];
    const server = await serverWith(records);
    await server.executeOperation(
      { query: "query Refused { persons { id } }" },
      { contextValue: context("cl_b") },
    );
    expect(records).toEqual([]);
    await server.executeOperation(
      { query: "query Cached { persons { name } }" },
      { contextValue: context("cl_b") },
    );
    expect(records).toEqual([["cl_b", ["Query.persons", "Person.name"]]]);
    await server.executeOperation({ query: "query Bad { nope }" }, { contextValue: context("cl_b") });
    expect(records).toHaveLength(1);
    await server.stop();
  });
});
