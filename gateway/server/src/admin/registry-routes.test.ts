import { Refusal } from "@onecert/subgraph-kit";
import { describe, expect, it } from "vitest";
import type { AuthenticatedClient } from "@onecert/access";
import type { Registry } from "@onecert/schema-registry";
import { registryRoutes } from "./registry-routes";

const client = { id: "cl_1", name: "admin", role: "admin", department: "data" } as AuthenticatedClient;

describe("registry admin routes", () => {
  it("are for admins and departments to manage, and never for windows", () => {
    const routes = registryRoutes({ enabled: true } as Registry);
    expect(routes.every((route) => !route.roles.includes("window"))).toBe(true);
    const writes = routes.filter((route) => route.method === "POST");
    expect(writes.map((route) => route.pattern).sort()).toEqual([
      "/registry/rollback",
      "/subgraphs",
      "/subgraphs/:name/check",
      "/subgraphs/:name/introspect",
      "/subgraphs/:name/remove",
      "/subgraphs/:name/update",
    ]);
    expect(writes.every((route) => route.roles.join() === "admin,department")).toBe(true);
  });

  it("refuse with REGISTRY_NOT_IN_USE on a gateway serving a supergraph file", async () => {
    for (const route of registryRoutes({ enabled: false } as Registry)) {
      const request = { method: route.method, path: route.pattern, params: { name: "x", version: "1" } };
      const error = await route
        .handle({ ...request, query: {}, body: undefined, client, requestId: "r" })
        .then(
          () => null,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(Refusal);
      expect(error).toMatchObject({ status: 409, code: "REGISTRY_NOT_IN_USE" });
    }
  });
});
