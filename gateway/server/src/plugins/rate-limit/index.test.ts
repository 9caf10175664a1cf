import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { createLogger } from "@onecert/subgraph-kit";
import { afterEach, describe, expect, it } from "vitest";
import type { AuthenticatedClient } from "@onecert/access";
import { newTrace, type GatewayContext } from "../../context";
import { MemoryRateCounter, type RateCounter } from "../../infra";
import { limitsPlugin } from "../limits";
import { rateLimitPlugin } from ".";

const client = (id: string, rateLimitPerMinute: number | null = null): AuthenticatedClient => ({
  id,
  name: id,
  role: "window",
  department: "civil-affairs",
  safelist: false,
  rateLimitPerMinute,
  via: "api-key",
  credentialId: null,
});

const servers: ApolloServer<GatewayContext>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function serve(
  counter: RateCounter,
  defaultPerMinute = 5,
  extra: ApolloServerPlugin<GatewayContext>[] = [],
) {
  const server = new ApolloServer<GatewayContext>({
    typeDefs: "type Query { hello: String me: Me } type Me { me: Me name: String }",
    resolvers: { Query: { hello: () => "hi" } },
    plugins: [rateLimitPlugin({ counter, defaultPerMinute }), ...extra],
  });
  await server.start();
  servers.push(server);
  return async (who: AuthenticatedClient | null, query = "{ hello }") => {
    const contextValue: GatewayContext = {
      requestId: "test",
      log: createLogger("test"),
      client: who,
      purpose: { operatorId: null, matterCode: null, caseNumber: null },
      trace: newTrace(),
    };
    const response = await server.executeOperation({ query }, { contextValue });
    if (response.body.kind !== "single") throw new Error("expected a single result");
    return { status: response.http.status, headers: response.http.headers, ...response.body.singleResult };
  };
}

describe("rateLimitPlugin", () => {
  it("refuses a client over its own limit with 429 and retry-after", async () => {
    const run = await serve(new MemoryRateCounter());
    const limited = client("cl_small", 3);
    for (let index = 0; index < 3; index += 1) expect((await run(limited)).data).toEqual({ hello: "hi" });
    const reply = await run(limited);
    expect(reply.status).toBe(429);
    expect(reply.data).toBeUndefined();
    expect(reply.errors?.[0]?.extensions).toEqual({ code: "RATE_LIMITED", limit: 3, retryAfter: 60 });
    expect(reply.errors?.[0]?.message).toMatch(/rate limit of 3 requests per minute/);
    expect(reply.headers.get("retry-after")).toBe("60");
  });

  it("uses the default limit for clients without their own, per client", async () => {
    const run = await serve(new MemoryRateCounter(), 2);
    const [first, second] = [client("cl_1"), client("cl_2")];
    expect((await run(first)).errors).toBeUndefined();
    expect((await run(first)).errors).toBeUndefined();
    expect((await run(first)).errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect((await run(second)).errors).toBeUndefined();
  });

  it("rounds retry-after up to whole seconds, at least 1", async () => {
    let now = 0;
    const run = await serve(new MemoryRateCounter({ now: () => now }), 1);
    const who = client("cl_clock");
    await run(who);
    now = 59_700;
    expect((await run(who)).headers.get("retry-after")).toBe("1");
    now = 58_200;
    expect((await run(who)).headers.get("retry-after")).toBe("2");
    now = 60_000;
    expect((await run(who)).status).toBeUndefined();
  });

  it("does not count requests without a client", async () => {
    const counter = new MemoryRateCounter();
    const run = await serve(counter, 1);
    for (let index = 0; index < 3; index += 1) expect((await run(null)).errors).toBeUndefined();
    expect(counter.size).toBe(0);
  });

  it("counts requests that fail before an operation is resolved", async () => {
    const run = await serve(new MemoryRateCounter(), 2);
    const who = client("cl_sloppy");
    expect((await run(who, "{ hello")).errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect((await run(who, "{ nope }")).errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect((await run(who)).status).toBe(429);
  });

  it("is reported before the other refusals when listed first", async () => {
    const limits = limitsPlugin({
      maxDepth: 2,
      maxAliases: 10,
      maxRootFields: 10,
      maxCost: 1000,
      defaultListSize: 10,
      maxDocumentBytes: 10_000,
    });
    const run = await serve(new MemoryRateCounter(), 1, [limits]);
    const who = client("cl_deep");
    const deep = "{ me { me { name } } }";
    expect((await run(who, deep)).errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect((await run(who, deep)).errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  });

  it("lets requests through when the counter fails", async () => {
    const broken: RateCounter = {
      degraded: true,
      hit: () => Promise.reject(new Error("counter down")),
      close: async () => {},
    };
    const run = await serve(broken, 1);
    for (let index = 0; index < 3; index += 1)
      expect((await run(client("cl_x"))).data).toEqual({ hello: "hi" });
  });
});
