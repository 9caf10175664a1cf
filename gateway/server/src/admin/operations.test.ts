import { Refusal, migrate, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import {
  OPERATIONS_SCHEMA,
  createOperationStore,
  operationMigrations,
  type AuthenticatedClient,
  type OperationStore,
} from "@onecert/access";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationRoutes } from "./operations";
import { adminRouteClient, type AdminRouteClient } from "./testing";

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

let db: Db;
let store: OperationStore;
let routes: AdminRouteClient;

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, OPERATIONS_SCHEMA, operationMigrations);
  store = createOperationStore(db);
  routes = await adminRouteClient(operationRoutes(store), admin);
});

afterAll(async () => {
  await routes.close();
  await db.close();
});

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("operation admin routes", () => {
  const call = (method: string, body?: unknown) => routes.call(method, "/operations", body);

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
    expect(refusal).toBeInstanceOf(Refusal);
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
