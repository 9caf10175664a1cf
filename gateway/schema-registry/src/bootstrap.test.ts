import { createLogger, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEMA_DIR, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { bootstrapRegistry, supergraphSubgraphs } from "./bootstrap";
import { actor, testRegistry, type TestRegistry } from "./testing";

const logger = createLogger("bootstrap-test", "silent");
const dir = mkdtempSync(join(tmpdir(), "onecert-bootstrap-"));
const supergraphPath = join(dir, "supergraph.graphql");
const graphs = supergraphSubgraphs(readFileSync(SUPERGRAPH_PATH, "utf8"));
// The owners every subgraph of schema/ stamps on its sharing rules.
const DEPARTMENTS: Record<string, string> = {
  population: "public-security",
  "legal-entity": "market-regulation",
  property: "natural-resources",
  "social-insurance": "human-resources-social-security",
  certificates: "data-administration-bureau",
};
const departmentOf = (name: string) => DEPARTMENTS[name];
let db: Db;
let registry: TestRegistry;

const run = (sync: boolean) =>
  bootstrapRegistry({
    service: registry.service,
    store: registry.store,
    supergraphPath,
    sync,
    logger,
  });

beforeAll(async () => {
  copyFileSync(SUPERGRAPH_PATH, supergraphPath);
  for (const graph of graphs)
    copyFileSync(join(SCHEMA_DIR, `${graph.name}.graphql`), join(dir, `${graph.name}.graphql`));
  db = await openTestDb();
  registry = await testRegistry(db, { bootstrap: false });
});
afterAll(async () => {
  await registry.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("registry bootstrap", () => {
  it("reads the subgraphs a composed supergraph names", () => {
    expect(graphs.map((graph) => graph.name)).toEqual(expect.arrayContaining(["population", "property"]));
    expect(graphs.every((graph) => /^http:\/\//.test(graph.url))).toBe(true);
  });

  it("fills an empty registry from the files as version 1, and only once", async () => {
    await run(false);
    const current = await registry.store.current();
    expect(current).toMatchObject({ version: 1, action: "bootstrap", actor: { id: "system" } });
    expect(current!.members.map((member) => [member.name, member.department, member.url])).toEqual(
      graphs.map((graph) => [graph.name, departmentOf(graph.name), graph.url]),
    );
    await run(false);
    await run(true);
    expect(await registry.store.latestVersion()).toBe(1);
  });

  it("syncs file changes into the subgraphs no department took over, and leaves the others alone", async () => {
    const admin = actor("admin", "data");
    const taken = await registry.service.publish(
      {
        kind: "update",
        subgraph: {
          name: "property",
          contact: "natural resources desk",
          sdl: readFileSync(join(dir, "property.graphql"), "utf8") + "\n",
        },
      },
      admin,
    );
    expect(taken.published).toBe(true);
    const sdlOf = async (name: string) => {
      const member = (await registry.store.current())!.members.find((candidate) => candidate.name === name)!;
      return (await registry.store.sdls([member.sdlId])).get(member.sdlId)!;
    };
    const propertyBefore = await sdlOf("property");
    const described = (file: string) =>
      readFileSync(join(dir, file), "utf8").replace(
        "  regionCode: String!\n",
        '  regionCode: String!\n\n  """Synced from the code."""\n  nickname: String\n',
      );
    writeFileSync(join(dir, "population.graphql"), described("population.graphql"));
    writeFileSync(
      join(dir, "property.graphql"),
      readFileSync(join(dir, "property.graphql"), "utf8") + "\n# local\n",
    );

    await run(true);
    const current = await registry.store.current();
    expect(current).toMatchObject({ action: "sync", actor: { id: "system" } });
    expect((await sdlOf("population")).sdl).toMatch(/Synced from the code/);
    expect((await sdlOf("property")).id).toBe(propertyBefore.id);
    await run(true);
    expect(await registry.store.latestVersion()).toBe(current!.version);
  });
});
