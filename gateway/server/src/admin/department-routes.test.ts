import { makeUscc, migrate, Refusal, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import {
  accessMigrations,
  ACCESS_SCHEMA,
  createDepartmentStore,
  createIdentityStore,
  departmentMigrations,
  DEPARTMENTS_SCHEMA,
  SHIPPED_DEPARTMENTS,
  type AuthenticatedClient,
  type DepartmentStore,
} from "@onecert/access";
import type { Registry } from "@onecert/schema-registry";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientRoutes } from "./client-routes";
import { departmentRoutes } from "./department-routes";
import { registryRoutes } from "./registry-routes";
import { adminRouteClient, type AdminRouteClient } from "./testing";

const as = (role: AuthenticatedClient["role"], department: string): AuthenticatedClient => ({
  id: `cl_${role}`,
  name: role,
  role,
  department,
  safelist: false,
  rateLimitPerMinute: null,
  via: "api-key",
  credentialId: null,
});

const CREDIT = makeUscc("1", "1", "320100", "MB0000009");
// Reaching the registry service is what is tested: its answer stands in as a refusal.
const publish = vi.fn(() => Promise.reject(new Refusal("REACHED_REGISTRY", "reached the registry")));
const registry = {
  enabled: true,
  service: { publish, check: vi.fn(() => Promise.resolve({ ok: true })) },
  store: { current: () => Promise.resolve(null) },
} as unknown as Registry;

let db: Db;
let departments: DepartmentStore;
let admin: AdminRouteClient;
let department: AdminRouteClient;

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, ACCESS_SCHEMA, accessMigrations);
  await migrate(db, DEPARTMENTS_SCHEMA, departmentMigrations);
  departments = createDepartmentStore(db);
  await departments.seed(SHIPPED_DEPARTMENTS);
  const identity = createIdentityStore(db);
  const routes = [
    ...departmentRoutes(departments),
    ...clientRoutes(identity, departments),
    ...registryRoutes(registry, departments),
  ];
  admin = await adminRouteClient(routes, as("admin", "data-administration-bureau"));
  department = await adminRouteClient(routes, as("department", "public-security"));
});
afterAll(async () => {
  await admin.close();
  await department.close();
  await db.close();
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: Refusal) => error,
  );

const taxation = { code: "taxation", nameZh: "税务局", nameEn: "Taxation Bureau", creditCode: CREDIT };

describe("department routes", () => {
  it("list the seeded departments and show one", async () => {
    const listed = await department.call("GET", "/departments");
    const codes = (listed.body as { code: string }[]).map((entry) => entry.code);
    expect(codes).toEqual(expect.arrayContaining(["public-security", "civil-affairs", "market-regulation"]));
    expect((await admin.call("GET", "/departments/civil-affairs")).body).toMatchObject({
      nameZh: "民政局",
      nameEn: "Civil Affairs Bureau",
      creditCode: null,
      createdBy: "system",
    });
    expect(await refusal(admin.call("GET", "/departments/nope"))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("add a department for admins only, once, with a valid credit code", async () => {
    expect(await refusal(department.call("POST", "/departments", taxation))).toMatchObject({
      code: "FORBIDDEN",
    });
    const added = await admin.call("POST", "/departments", { ...taxation, contact: "科技处" });
    expect(added).toMatchObject({ status: 201, body: { code: "taxation", createdBy: "cl_admin" } });
    expect(await refusal(admin.call("POST", "/departments", taxation))).toMatchObject({
      code: "DEPARTMENT_EXISTS",
      status: 409,
    });
    const badCode = await refusal(
      admin.call("POST", "/departments", { ...taxation, code: "tax2", creditCode: "91320100MA1XXXXX0" }),
    );
    expect(badCode).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^creditCode: /) });
    const unknownField = await refusal(admin.call("POST", "/departments", { ...taxation, colour: "red" }));
    expect(unknownField?.message).toContain("unknown field colour");
  });

  it("refuse a client of an unknown department, suggesting the close one", async () => {
    const typo = await refusal(
      admin.call("POST", "/clients", { name: "hall-x", role: "window", department: "public-securty" }),
    );
    expect(typo).toMatchObject({
      code: "UNKNOWN_DEPARTMENT",
      message: expect.stringContaining('did you mean "public-security"?'),
      details: { department: "public-securty", suggestion: "public-security" },
    });
    const created = await admin.call("POST", "/clients", {
      name: "hall-x",
      role: "window",
      department: "taxation",
    });
    expect(created.status).toBe(201);
  });

  it("refuse registering, checking or moving a subgraph to an unknown department before publishing", async () => {
    const body = { url: "http://127.0.0.1:1/graphql", sdl: "type Query { x: Int }" };
    const cases: [string, string, unknown][] = [
      ["POST", "/subgraphs", { name: "weather", department: "wether-bureau", ...body }],
      ["POST", "/subgraphs/weather/check", { department: "wether-bureau", ...body }],
      ["POST", "/subgraphs/weather/update", { department: "wether-bureau" }],
    ];
    for (const [method, path, payload] of cases) {
      expect(await refusal(admin.call(method, path, payload)), path).toMatchObject({
        code: "UNKNOWN_DEPARTMENT",
      });
    }
    expect(publish).not.toHaveBeenCalled();
    const reached = { code: "REACHED_REGISTRY" };
    expect(
      await refusal(admin.call("POST", "/subgraphs", { name: "tax", department: "taxation", ...body })),
    ).toMatchObject(reached);
    // A department client's own department is the default, and is a known one.
    expect(
      await refusal(department.call("POST", "/subgraphs", { name: "checkpoints", ...body })),
    ).toMatchObject(reached);
    expect(publish).toHaveBeenCalledTimes(2);
  });
});
