import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/stack";

// The admin API's description, as departments and audit offices read it: a valid OpenAPI 3.1
// document generated from the routes' own schemas, so it says what the gateway enforces.

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: unknown };

let system: TestStack;
let base: string;
let document: Document;

beforeAll(async () => {
  system = await startTestStack();
  base = system.stack.gateway.url.replace(/\/graphql$/, "");
  const response = await fetch(`${base}/admin/openapi.json`, {
    headers: { authorization: `Bearer ${system.keys.admin}` },
  });
  expect(response.status).toBe(200);
  document = (await response.json()) as Document;
});
afterAll(() => system?.stop());

const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );

describe("GET /admin/openapi.json", () => {
  it("needs a credential like every admin call", async () => {
    expect((await fetch(`${base}/admin/openapi.json`)).status).toBe(401);
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every admin and auditor endpoint, each with its roles' credential, a summary and answers", () => {
    const listed = operations();
    const names = listed.map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    for (const expected of [
      "POST /admin/clients",
      "GET /admin/grants/{id}",
      "POST /admin/subgraphs/{name}/check",
      "GET /admin/registry/versions/{version}",
      "POST /admin/cache/invalidate",
      "POST /admin/proof-keys/rotate",
      "GET /admin/audit/records",
      "GET /admin/audit/subjects/{subject}/history",
      "GET /admin/audit/export",
      "GET /admin/audit/chain",
      "GET /admin/audit/inclusion",
    ])
      expect(names).toContain(expected);
    expect(listed.length).toBeGreaterThanOrEqual(37);
    for (const { path, operation } of listed) {
      expect(path.startsWith("/admin/"), path).toBe(true);
      expect(operation.security, path).toEqual([{ bearer: [] }]);
      expect(operation.summary, path).toBeTruthy();
      expect(Object.keys(operation.responses), path).toEqual(expect.arrayContaining(["401", "4XX"]));
    }
    // GraphQL, health, readiness and the key sets are not part of the admin API.
    expect(Object.keys(document.paths).some((path) => !path.startsWith("/admin/"))).toBe(false);
  });

  it("declares request bodies and query strings that refuse unknown fields, as the gateway does", async () => {
    const bodies = operations().filter(({ operation }) => operation.requestBody);
    expect(bodies.length).toBeGreaterThan(10);
    for (const { path, operation } of bodies) {
      const schema = operation.requestBody!.content["application/json"].schema;
      expect(schema.additionalProperties, path).toBe(false);
    }
    const records = document.paths["/admin/audit/records"].get;
    expect(records.parameters!.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(["subject", "client", "from", "to", "limit", "cursor"]),
    );
    const refused = await fetch(`${base}/admin/clients`, {
      method: "POST",
      headers: { authorization: `Bearer ${system.keys.admin}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "x", role: "window", department: "gov", colour: "red" }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: { code: "BAD_REQUEST", message: expect.stringContaining("unknown field colour") },
    });
  });
});
