import { migrate, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessMigrations } from "@onecert/access";
import { startAdminTestServer, type AdminTestServer } from "./testing";

let db: Db;
let server: AdminTestServer;
const keys: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, "access", accessMigrations);
  server = await startAdminTestServer(db, {
    validators: {
      fieldExists: (name) => name.startsWith("Person."),
      matterExists: (code) => code === "rental",
    },
  });
  const make = [
    ["admin", "admin", "data"],
    ["auditor", "auditor", "audit"],
    ["security", "department", "public-security"],
    ["police-app", "window", "public-security"],
    ["housing", "department", "housing"],
  ] as const;
  for (const [name, role, department] of make) {
    const created = await server.identity.createClient({ name, role, department });
    keys[name] = created.apiKey;
    ids[name] = created.client.id;
  }
});
afterAll(async () => {
  await server.stop();
  await db.close();
});

async function call(method: string, path: string, body?: unknown, as = "admin") {
  const response = await fetch(`${server.url}/admin${path}`, {
    method,
    headers: { "x-api-key": keys[as], ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: JSON.parse(text) as { data?: never; error?: { message: string } },
  };
}

describe("client routes", () => {
  it("creates a client showing its key once, then manages it", async () => {
    const created = await call("POST", "/clients", {
      name: "hall-9",
      role: "window",
      department: "gov",
      safelist: true,
    });
    expect(created.status).toBe(201);
    const data = created.json.data as unknown as { client: { id: string }; apiKey: string; keyId: string };
    expect(data.apiKey).toMatch(/^oc_key_/);
    const fetched = await call("GET", `/clients/${data.client.id}`);
    expect(fetched.json.data).toMatchObject({ name: "hall-9", safelist: true, keys: [{ id: data.keyId }] });
    const listed = await call("GET", "/clients");
    expect(listed.text).toContain("hall-9");
    for (const reply of [fetched, listed]) expect(reply.text).not.toMatch(/oc_key_|secret|hash/i);

    const key = await call("POST", `/clients/${data.client.id}/keys`, { expiresInDays: 7 });
    expect(key.status).toBe(201);
    expect(
      (await call("POST", `/keys/${(key.json.data as unknown as { keyId: string }).keyId}/revoke`)).status,
    ).toBe(200);
    expect((await call("POST", `/clients/${data.client.id}/revoke`)).json.data).toMatchObject({
      name: "hall-9",
    });
    expect((await call("POST", `/clients/${data.client.id}/revoke`)).status).toBe(409);
    expect((await call("GET", "/clients/cl_nope")).status).toBe(404);
  });

  it("validates bodies with clear messages", async () => {
    const cases: [unknown, string][] = [
      [{ role: "window", department: "gov" }, "name is required"],
      [{ name: 5, role: "window", department: "gov" }, "name must be a string"],
      [
        { name: "n", role: "boss", department: "gov" },
        "role must be one of window, department, auditor, admin",
      ],
      [{ name: "n", role: "window", department: "Gov Office" }, "department must be a lowercase slug"],
      [{ name: "n", role: "window", department: "gov", safelist: "yes" }, "safelist must be true or false"],
      [
        { name: "n", role: "window", department: "gov", keyExpiresInDays: 0 },
        "keyExpiresInDays must be an integer",
      ],
      [{ name: "n", role: "window", department: "gov", colour: "red" }, "unknown field colour"],
      [[1, 2], "request body must be a JSON object"],
    ];
    for (const [body, message] of cases) {
      const reply = await call("POST", "/clients", body);
      expect(reply.status, message).toBe(400);
      expect(reply.json.error?.message).toContain(message);
    }
    expect(
      (await call("POST", "/clients", { name: "admin", role: "window", department: "gov" })).status,
    ).toBe(409);
    expect((await call("GET", "/clients", undefined, "auditor")).status).toBe(403);
  });
});

describe("grant routes", () => {
  const request = (clientId: string) => ({
    clientId,
    fields: ["Person.realEstate"],
    matters: ["rental"],
    validUntil: "2099-01-01",
    reason: "checks",
  });

  it("lets admins request and decide, recording the deciding client", async () => {
    const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const created = await call("POST", "/grants", { ...request(ids.housing), validUntil, clearValues: true });
    expect(created.status).toBe(201);
    const grant = created.json.data as unknown as {
      id: string;
      status: string;
      validUntil: string;
      requestedBy: string;
    };
    expect(grant).toMatchObject({ status: "REQUESTED", requestedBy: ids.admin });
    expect(grant.validUntil).toBe(new Date(Date.parse(validUntil) + 86_400_000).toISOString());
    const approved = await call("POST", `/grants/${grant.id}/approve`, { note: "fine" });
    expect(approved.json.data).toMatchObject({
      status: "APPROVED",
      decidedBy: ids.admin,
      decisionNote: "fine",
    });
    expect((await call("POST", `/grants/${grant.id}/reject`)).status).toBe(409);
    expect((await call("POST", `/grants/${grant.id}/revoke`, undefined, "security")).status).toBe(403);
    expect((await call("POST", `/grants/${grant.id}/revoke`)).json.data).toMatchObject({ status: "REVOKED" });
    expect(
      (await call("GET", `/grants?clientId=${ids.housing}&status=REVOKED`, undefined, "auditor")).text,
    ).toContain(grant.id);
    expect((await call("GET", "/grants?status=LOST", undefined, "auditor")).status).toBe(400);
    expect((await call("GET", "/grants", undefined, "security")).status).toBe(403);
  });

  it("lets a department request and read grants for its own department only", async () => {
    const validUntil = new Date(Date.now() + 86_400_000).toISOString();
    const own = await call("POST", "/grants", { ...request(ids["police-app"]), validUntil }, "security");
    expect(own.status).toBe(201);
    const other = await call("POST", "/grants", { ...request(ids.housing), validUntil }, "security");
    expect(other).toMatchObject({ status: 403, json: { error: { code: "FORBIDDEN" } } });
    const id = (own.json.data as unknown as { id: string }).id;
    expect((await call("GET", `/grants/${id}`, undefined, "security")).status).toBe(200);
    expect((await call("GET", `/grants/${id}`, undefined, "housing")).status).toBe(404);
    expect(
      (await call("POST", "/grants", { ...request(ids.housing), validUntil }, "police-app")).status,
    ).toBe(403);
  });

  it("names unknown fields and matters and rejects malformed dates", async () => {
    const validUntil = new Date(Date.now() + 86_400_000).toISOString();
    const unknown = await call("POST", "/grants", {
      ...request(ids.housing),
      validUntil,
      fields: ["Enterprise.name"],
    });
    expect(unknown.json.error?.message).toBe("unknown fields: Enterprise.name");
    const matters = await call("POST", "/grants", {
      ...request(ids.housing),
      validUntil,
      matters: ["rental", "x"],
    });
    expect(matters.json.error?.message).toBe("unknown matters: x");
    const date = await call("POST", "/grants", { ...request(ids.housing), validUntil: "31/12/2030" });
    expect(date.json.error?.message).toMatch(/^validUntil must be an ISO date/);
    const far = await call("POST", "/grants", request(ids.housing));
    expect(far.json.error?.message).toMatch(/at most 3 years/);
    expect(
      (await call("POST", "/grants", { ...request(ids.housing), fields: "Person.x" })).json.error?.message,
    ).toBe("fields must be a non-empty list of strings");
  });
});
