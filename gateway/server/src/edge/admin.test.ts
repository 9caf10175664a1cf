import { Refusal, parseIsoDate } from "@onecert/subgraph-kit";
import { migrate, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { accessMigrations, ROLES } from "@onecert/access";
import { startAdminTestServer, type AdminTestServer } from "../admin/testing";
import { z } from "zod";
import { object, optionalText, query } from "../admin/fields";
import { route, type AdminRoute } from "../admin/types";

let db: Db;
let server: AdminTestServer;
const keys: Record<string, string> = {};
const onError = vi.fn();

const tag = "test";
const extraRoutes: AdminRoute[] = [
  route({
    method: "POST",
    pattern: "/echo/:name",
    roles: ROLES,
    tag,
    summary: "echo",
    schema: {
      query: query({ q: optionalText(10) }),
      body: object({ x: z.array(z.number()).optional() }),
      response: z.object({
        body: z.unknown(),
        params: z.object({ name: z.string() }),
        q: z.string().nullable(),
      }),
    },
    handle: async ({ body, params, query: given }) => ({
      status: 200,
      body: { body, params, q: given.q ?? null },
    }),
  }),
  route({
    method: "GET",
    pattern: "/teapot",
    roles: ROLES,
    tag,
    summary: "teapot",
    schema: { response: z.null() },
    handle: async () => {
      throw new Refusal("ALREADY_REGISTERED", "short and stout", { name: "teapot" });
    },
  }),
  route({
    method: "GET",
    pattern: "/boom",
    roles: ROLES,
    tag,
    summary: "boom",
    schema: { response: z.null() },
    handle: async () => {
      throw new Error("connection string postgres://secret@db");
    },
  }),
  route({
    method: "GET",
    pattern: "/liar",
    roles: ROLES,
    tag,
    summary: "answers what its schema does not say",
    schema: { response: z.object({ count: z.number() }) },
    handle: async () => ({ status: 200, body: { count: "many" } }),
  }),
];

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, "access", accessMigrations);
  server = await startAdminTestServer(db, { routes: extraRoutes, onError });
  for (const role of ROLES) {
    const { apiKey } = await server.identity.createClient({ name: `t-${role}`, role, department: "x" });
    keys[role] = apiKey;
  }
});
afterAll(async () => {
  await server.stop();
  await db.close();
});

async function call(
  method: string,
  path: string,
  options: { key?: string; body?: string; type?: string } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? keys.admin}` };
  if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json";
  const response = await fetch(server.url + path, { method, headers, body: options.body });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, never>,
  };
}

describe("the admin API on the edge", () => {
  it("answers 401 without credentials (as the server wires it)", async () => {
    const response = await fetch(`${server.url}/admin/clients`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="onecert"');
    expect(await response.json()).toEqual({
      errors: [{ message: "missing credentials", extensions: { code: "UNAUTHENTICATED" } }],
    });
  });

  it("matches patterns, decodes params and passes query and body", async () => {
    const reply = await call("POST", "/admin/echo/a%20b?q=1", { body: '{"x":[1]}', key: keys.window });
    expect(reply).toMatchObject({
      status: 200,
      json: { data: { body: { x: [1] }, params: { name: "a b" }, q: "1" } },
    });
    expect(reply.headers.get("cache-control")).toBe("no-store");
    expect(reply.headers.get("x-request-id")).toBeTruthy();
    expect((await call("POST", "/admin/echo/z", { key: keys.window })).json).toEqual({
      data: { body: {}, params: { name: "z" }, q: null },
    });
    expect(await call("POST", "/admin/echo/z?colour=red", { key: keys.window })).toMatchObject({
      status: 400,
      json: { error: { code: "BAD_REQUEST", message: "unknown field colour (expected q)" } },
    });
    expect(await call("POST", "/admin/echo/z", { body: '{"x":["a"]}' })).toMatchObject({
      status: 400,
      json: { error: { code: "BAD_REQUEST", details: { issues: [{ path: "/x/0" }] } } },
    });
  });

  it("refuses other roles with 403 and unknown routes with 404 and wrong methods with 405", async () => {
    expect(await call("GET", "/admin/clients", { key: keys.window })).toMatchObject({
      status: 403,
      json: { error: { code: "FORBIDDEN", message: "a window client may not call GET /admin/clients" } },
    });
    expect((await call("GET", "/admin/nothing-here")).json).toEqual({
      error: { code: "NOT_FOUND", message: "no admin endpoint GET /admin/nothing-here" },
    });
    expect((await call("GET", "/admin/")).status).toBe(404);
    const wrongMethod = await call("DELETE", "/admin/clients");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST");
  });

  it("answers 400 to invalid JSON and 415 to a non-JSON body", async () => {
    expect(await call("POST", "/admin/echo/a", { body: "{nope" })).toMatchObject({
      status: 400,
      json: { error: { code: "BAD_REQUEST", message: "request body is not valid JSON" } },
    });
    expect(await call("POST", "/admin/echo/a", { body: "name=x", type: "text/plain" })).toMatchObject({
      status: 415,
      json: { error: { code: "UNSUPPORTED_MEDIA_TYPE" } },
    });
    expect(
      (await call("POST", "/admin/echo/a", { body: "{}", type: "application/json; charset=utf-8" })).status,
    ).toBe(200);
    expect((await call("POST", "/admin/echo/a", { body: JSON.stringify("x".repeat(70_000)) })).status).toBe(
      413,
    );
  });

  it("maps Refusal to its status and hides unexpected errors behind a generic 500", async () => {
    expect(await call("GET", "/admin/teapot")).toMatchObject({
      status: 409,
      json: {
        error: { code: "ALREADY_REGISTERED", message: "short and stout", details: { name: "teapot" } },
      },
    });
    const boom = await call("GET", "/admin/boom");
    expect(boom.status).toBe(500);
    expect(boom.json).toEqual({
      error: { code: "INTERNAL", message: "internal error; the request id in the logs has the details" },
    });
    expect(onError).toHaveBeenCalledWith(expect.any(Error), boom.headers.get("x-request-id"));
  });

  it("checks answers against the declared schema (as tests run it), failing with a 500", async () => {
    const liar = await call("GET", "/admin/liar");
    expect(liar).toMatchObject({ status: 500, json: { error: { code: "INTERNAL" } } });
  });
});

describe("ISO dates", () => {
  it("parses dates, end-of-day dates and date-times, refusing impossible ones", () => {
    expect(parseIsoDate("2030-02-28")?.toISOString()).toBe("2030-02-28T00:00:00.000Z");
    expect(parseIsoDate("2030-02-28", true)?.toISOString()).toBe("2030-03-01T00:00:00.000Z");
    expect(parseIsoDate("2030-02-28T10:00:00+08:00")?.toISOString()).toBe("2030-02-28T02:00:00.000Z");
    expect(parseIsoDate("2030-02-28T10:00Z")?.toISOString()).toBe("2030-02-28T10:00:00.000Z");
    for (const bad of [
      "2030-02-30",
      "2030-13-01",
      "30-01-01",
      "2030-01-01T25:00Z",
      "2030-01-01T10:00",
      "tomorrow",
    ]) {
      expect(parseIsoDate(bad), bad).toBeNull();
    }
  });
});
