import { ApolloServer } from "@apollo/server";
import { InMemoryLRUCache } from "@apollo/utils.keyvaluecache";
import { createLogger, migrate, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS_SCHEMA, createOperationStore, operationHash, operationMigrations } from "@onecert/access";
import type { AuthenticatedClient, OperationStore } from "@onecert/access";
import { newTrace, type GatewayContext } from "../../context";
import { persistedQueryCache, safelistPlugin } from ".";

const client = (id: string, safelist: boolean): AuthenticatedClient => ({
  id,
  name: id,
  role: "window",
  department: "civil-affairs",
  safelist,
  rateLimitPerMinute: null,
  via: "api-key",
  credentialId: null,
});
const strict = client("cl_strict", true);
const otherStrict = client("cl_other", true);
const open = client("cl_open", false);

const ANY = "query Any { hello }";
const MINE = "query Mine { hello }";
const UNREGISTERED = "query Unregistered { hello }";

let db: Db;
let store: OperationStore;
let server: ApolloServer<GatewayContext>;

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, OPERATIONS_SCHEMA, operationMigrations);
  store = createOperationStore(db);
  await store.register({ name: "Any", query: ANY, registeredBy: "cl_admin" });
  await store.register({ name: "Mine", query: MINE, clientId: strict.id, registeredBy: "cl_admin" });
  server = new ApolloServer<GatewayContext>({
    typeDefs: "type Query { hello: String }",
    resolvers: { Query: { hello: () => "hi" } },
    plugins: [safelistPlugin({ operations: store })],
    persistedQueries: { cache: persistedQueryCache(store) },
  });
  await server.start();
});

afterAll(async () => {
  await server.stop();
  await db.close();
});

async function run(who: AuthenticatedClient | null, request: { query?: string; hash?: string }) {
  const extensions = request.hash ? { persistedQuery: { version: 1, sha256Hash: request.hash } } : undefined;
  const contextValue: GatewayContext = {
    requestId: "test",
    log: createLogger("test"),
    client: who,
    purpose: { operatorId: null, matterCode: null, caseNumber: null },
    trace: newTrace(),
  };
  const response = await server.executeOperation({ query: request.query, extensions }, { contextValue });
  if (response.body.kind !== "single") throw new Error("expected a single result");
  return { status: response.http.status, ...response.body.singleResult };
}

describe(`safelistPlugin (${process.env.DATABASE_URL ? "pg" : "pglite"})`, () => {
  it("runs operations registered for any client or for this client", async () => {
    expect((await run(strict, { query: ANY })).data).toEqual({ hello: "hi" });
    expect((await run(strict, { query: MINE })).data).toEqual({ hello: "hi" });
  });

  it("refuses other operations, naming the hash", async () => {
    for (const [who, query] of [
      [strict, UNREGISTERED],
      [otherStrict, MINE],
    ] as const) {
      const reply = await run(who, { query });
      expect(reply.status).toBe(400);
      expect(reply.data).toBeUndefined();
      expect(reply.errors?.[0]?.extensions).toEqual({
        code: "PERSISTED_QUERY_NOT_FOUND",
        hash: operationHash(query),
      });
      expect(reply.errors?.[0]?.message).toContain(operationHash(query));
    }
  });

  it("runs registered operations by hash alone, for every client", async () => {
    for (const who of [strict, open, null]) {
      const reply = await run(who, { hash: operationHash(ANY) });
      expect(reply.errors).toBeUndefined();
      expect(reply.data).toEqual({ hello: "hi" });
    }
    expect((await run(strict, { hash: operationHash(MINE) })).data).toEqual({ hello: "hi" });
    expect((await run(otherStrict, { hash: operationHash(MINE) })).errors?.[0]?.extensions?.code).toBe(
      "PERSISTED_QUERY_NOT_FOUND",
    );
  });

  it("leaves clients without a safelist to ordinary APQ", async () => {
    const query = "query Adhoc { hello }";
    const hash = operationHash(query);
    expect((await run(open, { query })).data).toEqual({ hello: "hi" });
    const miss = await run(open, { hash });
    expect(miss.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await run(open, { query, hash })).data).toEqual({ hello: "hi" });
    expect((await run(open, { hash })).data).toEqual({ hello: "hi" });
    // Known to APQ now, but still not on the safelist.
    const refused = await run(strict, { hash });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND", hash });
  });

  it("fails closed when the store cannot answer", async () => {
    const broken = new ApolloServer<GatewayContext>({
      typeDefs: "type Query { hello: String }",
      plugins: [safelistPlugin({ operations: { get: () => Promise.reject(new Error("db down")) } })],
    });
    await broken.start();
    const response = await broken.executeOperation(
      { query: ANY },
      { contextValue: { client: strict } as GatewayContext },
    );
    await broken.stop();
    expect(response.body.kind === "single" && response.body.singleResult.data).toBeFalsy();
    expect(response.http.status).toBe(500);
  });
});

describe("persistedQueryCache", () => {
  it("answers Apollo's apq:<hash> keys from the store, the rest from the fallback", async () => {
    const fallback = new InMemoryLRUCache<string>();
    const cache = persistedQueryCache(store, fallback);
    expect(await cache.get(`apq:${operationHash(MINE)}`)).toBe(MINE);
    expect(await cache.get(operationHash(ANY))).toBe(ANY);
    expect(await cache.get(`apq:${operationHash(UNREGISTERED)}`)).toBeUndefined();
    await cache.set(`apq:${operationHash(UNREGISTERED)}`, UNREGISTERED);
    expect(await fallback.get(`apq:${operationHash(UNREGISTERED)}`)).toBe(UNREGISTERED);
    expect(await cache.get(`apq:${operationHash(UNREGISTERED)}`)).toBe(UNREGISTERED);
    await cache.delete(`apq:${operationHash(UNREGISTERED)}`);
    expect(await cache.get(`apq:${operationHash(UNREGISTERED)}`)).toBeUndefined();
  });

  it("treats lookup failures as misses", async () => {
    const failing = {
      get: () => Promise.reject(new Error("down")),
      set: async () => {},
      delete: async () => true,
    };
    const cache = persistedQueryCache({ get: () => Promise.reject(new Error("db down")) }, failing);
    expect(await cache.get(`apq:${operationHash(ANY)}`)).toBeUndefined();
  });
});
