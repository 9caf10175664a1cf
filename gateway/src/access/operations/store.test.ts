import { countingStatements, migrate, openTestDb, type Db } from "@onecert/subgraph-kit";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthenticatedClient } from "../types";
import { AdminError, type AdminRequest } from "../../admin/types";
import { operationRoutes } from "../../admin/operations";
import { OPERATIONS_SCHEMA, createOperationStore, operationMigrations, type OperationStore } from ".";

let db: Db;
let store: OperationStore;

beforeAll(async () => {
  db = await openTestDb();
  expect(await migrate(db, OPERATIONS_SCHEMA, operationMigrations)).toEqual([1]);
  expect(await migrate(db, OPERATIONS_SCHEMA, operationMigrations)).toEqual([]);
  store = createOperationStore(db);
});

afterAll(() => db.close());

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe(`operation store (${process.env.DATABASE_URL ? "pg" : "pglite"})`, () => {
  it("registers by the SHA-256 of the exact text, idempotently", async () => {
    const query = "query Hello {\n  hello\n}";
    const first = await store.register({ name: "Hello", query, registeredBy: "cl_admin" });
    expect(first.hash).toBe(sha256(query));
    expect(await store.register({ name: "Hello again", query, registeredBy: "cl_admin" })).toEqual(first);
    expect(await store.get(first.hash)).toEqual({ query, clientId: null });
    const other = await store.register({ name: "Hello2", query: "query Hello { hello }", registeredBy: "x" });
    expect(other.hash).not.toBe(first.hash);
  });

  it("keeps the client an operation is registered for", async () => {
    const query = "{ person(id: 1) { name } }";
    const { hash } = await store.register({ name: "P", query, clientId: "cl_a", registeredBy: "cl_admin" });
    expect(await store.get(hash)).toEqual({ query, clientId: "cl_a" });
    expect(await store.register({ name: "P", query, clientId: "cl_a", registeredBy: "cl_admin" })).toEqual({
      hash,
    });
    await expect(
      store.register({ name: "P", query, clientId: "cl_b", registeredBy: "cl_admin" }),
    ).rejects.toMatchObject({ reason: "CONFLICT", message: expect.stringContaining("client cl_a") });
    await expect(store.register({ name: "P", query, registeredBy: "cl_admin" })).rejects.toMatchObject({
      reason: "CONFLICT",
    });
  });

  it("refuses a query that does not parse or has no operation", async () => {
    await expect(store.register({ name: "bad", query: "{ hello", registeredBy: "x" })).rejects.toMatchObject({
      reason: "INVALID_QUERY",
      message: expect.stringMatching(/^query does not parse: Syntax Error/),
    });
    await expect(
      store.register({ name: "bad", query: "fragment F on Query { hello }", registeredBy: "x" }),
    ).rejects.toMatchObject({ reason: "INVALID_QUERY", message: "query contains no operation" });
  });

  it("answers repeated lookups from memory, hits for good and misses briefly", async () => {
    const query = "{ cached }";
    const { hash } = await store.register({ name: "C", query, registeredBy: "x" });
    const fresh = createOperationStore(db, { missTtlMs: 60_000 });
    const first = await countingStatements(db, () => fresh.get(hash));
    expect(first.statements).toHaveLength(1);
    const again = await countingStatements(db, () => fresh.get(hash.toUpperCase()));
    expect(again).toEqual({ result: { query, clientId: null }, statements: [] });

    const unknown = sha256("{ not registered }");
    expect((await countingStatements(db, () => fresh.get(unknown))).statements).toHaveLength(1);
    expect(await countingStatements(db, () => fresh.get(unknown))).toEqual({ result: null, statements: [] });
    expect(await countingStatements(db, () => fresh.get("not-a-hash"))).toEqual({
      result: null,
      statements: [],
    });
    // Registering through this store forgets the miss at once.
    await fresh.register({ name: "N", query: "{ not registered }", registeredBy: "x" });
    expect(await fresh.get(unknown)).toEqual({ query: "{ not registered }", clientId: null });
  });

  it("lists the registered operations", async () => {
    const all = await store.list();
    const hello = all.find((operation) => operation.name === "Hello");
    expect(hello).toMatchObject({
      clientId: null,
      registeredBy: "cl_admin",
      query: "query Hello {\n  hello\n}",
    });
    expect(hello?.registeredAt).toBeInstanceOf(Date);
  });
});

describe("operation admin routes", () => {
  const admin: AuthenticatedClient = {
    id: "cl_admin",
    name: "Admin",
    role: "admin",
    department: "data-bureau",
    safelist: false,
    rateLimitPerMinute: null,
    via: "api-key",
    credentialId: null,
  };
  const route = (method: string) => operationRoutes(store).find((candidate) => candidate.method === method)!;
  const call = (method: string, body?: unknown) => {
    const request: AdminRequest = {
      method,
      path: "/operations",
      params: {},
      query: new URLSearchParams(),
      body,
      client: admin,
      requestId: "test",
    };
    return route(method).handle(request);
  };

  it("are for admins only", () => {
    for (const candidate of operationRoutes(store)) expect(candidate.roles).toEqual(["admin"]);
  });

  it("registers an operation and lists it", async () => {
    const query = "query Routed { hello }";
    expect(await call("POST", { name: "Routed", query, clientId: "cl_w" })).toEqual({
      status: 201,
      body: { hash: sha256(query) },
    });
    const listed = (await call("GET")).body as { hash: string; registeredBy: string }[];
    expect(listed.find((operation) => operation.hash === sha256(query))).toMatchObject({
      registeredBy: "cl_admin",
      clientId: "cl_w",
    });
  });

  it.each([
    [undefined, /name is required/],
    [[], /JSON object/],
    [{ query: "{ a }" }, /name is required/],
    [{ name: " ", query: "{ a }" }, /name must be 1 to 200 characters/],
    [{ name: "x".repeat(201), query: "{ a }" }, /name must be 1 to 200/],
    [{ name: "A" }, /query is required/],
    [{ name: "A", query: 5 }, /query must be a string/],
    [{ name: "A", query: "{ a }", clientId: 7 }, /clientId must be a string/],
    [{ name: "A", query: "{ a }", extra: 1 }, /unknown field extra/],
    [{ name: "A", query: "{ a" }, /query does not parse/],
  ])("refuses the body %j with 400 BAD_REQUEST", async (body, message) => {
    const refusal = await call("POST", body).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AdminError);
    expect(refusal).toMatchObject({
      status: 400,
      code: "BAD_REQUEST",
      message: expect.stringMatching(message),
    });
  });

  it("refuses re-registering for another client with 409 CONFLICT", async () => {
    const refusal = await call("POST", {
      name: "Routed",
      query: "query Routed { hello }",
      clientId: "cl_x",
    }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ status: 409, code: "CONFLICT" });
  });
});
