import { countingStatements, openTestDb } from "@onecert/subgraph-kit/testing";
import { migrate, type Db } from "@onecert/subgraph-kit";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    expect(again).toEqual({ result: { query, clientId: null }, statements: [], accessLog: [] });

    const unknown = sha256("{ not registered }");
    expect((await countingStatements(db, () => fresh.get(unknown))).statements).toHaveLength(1);
    expect(await countingStatements(db, () => fresh.get(unknown))).toEqual({
      result: null,
      statements: [],
      accessLog: [],
    });
    expect(await countingStatements(db, () => fresh.get("not-a-hash"))).toEqual({
      result: null,
      statements: [],
      accessLog: [],
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
