import type { Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRegistry, type TestRegistry } from "./testing";
import { registryViews } from "./views";

let db: Db;
let registry: TestRegistry;
beforeAll(async () => {
  db = await openTestDb();
  registry = await testRegistry(db);
});
afterAll(async () => {
  await registry.close();
  await db.close();
});

describe("registry views", () => {
  it("show the URL this gateway uses, and the registered one when they differ", async () => {
    const inUse = (name: string, registered: string) =>
      name === "population" ? "http://population.internal:4001/graphql" : registered;
    const views = registryViews(registry.store, () => undefined, inUse);
    const listed = await views.list();
    const population = listed.find((view) => view.name === "population")!;
    expect(population.url).toBe("http://population.internal:4001/graphql");
    expect(population.registeredUrl).toBe("http://127.0.0.1:1/population");
    const property = listed.find((view) => view.name === "property")!;
    expect(property.url).toBe("http://127.0.0.1:1/property");
    expect(property).not.toHaveProperty("registeredUrl");
    expect((await views.get("population")).url).toBe("http://population.internal:4001/graphql");
  });
});
