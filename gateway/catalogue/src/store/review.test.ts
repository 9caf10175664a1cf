import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, Refusal, SCHEMA_DIR, SUPERGRAPH_PATH, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { catalogueProblems } from "../fit";
import { CATALOGUE_SCHEMA, catalogueMigrations } from "./migrations";
import { createCatalogueReview, type CatalogueActor, type CatalogueReview } from "./review";
import { seedCatalogue } from "./seed";
import { createCatalogueStore, type CatalogueStore } from "./store";

const SDL = readFileSync(SUPERGRAPH_PATH, "utf8");
const MATTERS = join(SCHEMA_DIR, "matters");
const DIRS = { mattersDir: MATTERS, certificatesDir: join(SCHEMA_DIR, "certificates") };
const HOUSING = readFileSync(join(MATTERS, "public-rental-housing.yaml"), "utf8");
const bureau: CatalogueActor = { id: "bureau-admin", department: "data-administration-bureau", admin: true };
const housing: CatalogueActor = {
  id: "housing-officer",
  department: "housing-and-urban-rural-development",
  admin: false,
};
const police: CatalogueActor = { id: "police-officer", department: "public-security", admin: false };

let db: Db;
let store: CatalogueStore;
let review: CatalogueReview;

async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Refusal);
  return error as Refusal;
}

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, CATALOGUE_SCHEMA, catalogueMigrations);
  store = createCatalogueStore(db);
  review = createCatalogueReview({
    store,
    supergraph: () => Promise.resolve(SDL),
    problems: (texts, sdl) => Promise.resolve(catalogueProblems(texts, sdl, { matterFields: true })),
  });
  expect(
    await seedCatalogue(store, { mattersDir: MATTERS, certificatesDir: join(SCHEMA_DIR, "certificates") }),
  ).toBe(true);
});
afterAll(() => db.close());

describe("the live catalogue's review", () => {
  it("seeds an empty catalogue with every file's text as version 1, once for the same files", async () => {
    const live = await store.live();
    expect(live.entries.filter((e) => e.kind === "matter")).toHaveLength(14);
    expect(live.entries.filter((e) => e.kind === "certificate")).toHaveLength(17);
    expect(live.entries.find((e) => e.code === "public-rental-housing")).toMatchObject({
      version: 1,
      source: HOUSING,
    });
    expect(await seedCatalogue(store, DIRS)).toBe(false);
    expect((await store.live()).generation).toBe(live.generation);
  });

  it("takes a department's proposal for its own matter only, checked before it is stored", async () => {
    const other = await refusal(review.propose("matter", HOUSING, police, "not ours"));
    expect(other.code).toBe("FORBIDDEN");
    const broken = HOUSING.replace("  - Person.name\n", "  - Person.name\n  - Person.shoeSize\n");
    const invalid = await refusal(review.propose("matter", broken, housing, "a field that does not exist"));
    expect(invalid.code).toBe("CATALOGUE_INVALID");
    expect((invalid.details as { problems: string[] }).problems.join("\n")).toContain("Person.shoeSize");
    const unknownKey = await refusal(review.propose("matter", `${HOUSING}colour: blue\n`, housing, "typo"));
    expect((unknownKey.details as { problems: string[] }).problems[0]).toMatch(/@proposed:\d+:\d+: .*colour/);
    expect((await store.history("matter", "public-rental-housing")).versions).toHaveLength(1);
  });

  it("publishes only what the bureau approved, and rolls back to the version live before", async () => {
    const renamed = HOUSING.replace("en: Public rental housing application", "en: Public rental housing");
    const proposed = await review.propose("matter", renamed, housing, "shorter English name");
    expect(proposed).toMatchObject({
      version: 2,
      status: "proposed",
      proposedBy: "housing-officer",
      live: false,
    });
    const key = { kind: "matter" as const, code: "public-rental-housing", version: 2 };
    expect((await refusal(review.approve(key, housing, "self-approval"))).code).toBe("FORBIDDEN");
    expect((await refusal(review.publish(key, bureau, "not approved yet"))).code).toBe("CATALOGUE_STATE");
    const before = await store.generation();
    await review.approve(key, bureau, "reviewed");
    const published = await review.publish(key, bureau, "release");
    expect(published).toMatchObject({ status: "published", live: true, reviewedBy: "bureau-admin" });
    expect(await store.generation()).toBeGreaterThan(before);
    const live = (await store.live()).entries.find((e) => e.code === "public-rental-housing");
    expect(live?.source).toBe(renamed);

    const rolledBack = await review.rollback(
      "matter",
      "public-rental-housing",
      bureau,
      "name change withdrawn",
    );
    expect(rolledBack).toMatchObject({ version: 1, live: true });
    const history = await review.history("matter", "public-rental-housing");
    expect(history.releases.map((r) => [r.action, r.version])).toEqual([
      ["rollback", 1],
      ["publish", 2],
      ["seed", 1],
    ]);
    expect((await refusal(review.rollback("matter", "public-rental-housing", bureau, "again", 1))).code).toBe(
      "CATALOGUE_STATE",
    );
    // Reviewed now: the files no longer replace what the database holds.
    const empty = { mattersDir: join(SCHEMA_DIR, "none"), certificatesDir: join(SCHEMA_DIR, "none") };
    expect(await seedCatalogue(store, empty)).toBe(false);
    expect((await store.live()).entries).toHaveLength(31);
  });

  it("refuses to publish a certificate type the live matters would no longer fit", async () => {
    const noHousing = readFileSync(join(SCHEMA_DIR, "certificates", "no-housing.yaml"), "utf8");
    // Reads a field public-rental-housing does not declare: the matter would stop fitting.
    const wider = noHousing.replace(/(\n\s+)use\n/, "$1use$1registeredOn\n");
    expect(wider).not.toBe(noHousing);
    const result = await review.check("certificate", wider);
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toContain("RealEstate.registeredOn");
  });
});

describe("the seed before any review", () => {
  it("follows the files while nothing but a seed was released", async () => {
    const own = await openTestDb();
    try {
      await migrate(own, CATALOGUE_SCHEMA, catalogueMigrations);
      const seeds = createCatalogueStore(own);
      expect(await seedCatalogue(seeds, DIRS)).toBe(true);
      const fewer = { mattersDir: join(SCHEMA_DIR, "none"), certificatesDir: DIRS.certificatesDir };
      expect(await seedCatalogue(seeds, fewer)).toBe(true);
      const live = await seeds.live();
      expect(live.entries.map((e) => e.kind)).toEqual(Array(17).fill("certificate"));
      expect(live.entries[0].file).toContain(join("schema", "certificates"));
    } finally {
      await own.close();
    }
  });
});
