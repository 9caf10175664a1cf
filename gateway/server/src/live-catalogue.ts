import type { DepartmentStore, MatterCatalogue } from "@onecert/access";
import {
  CATALOGUE_SCHEMA,
  catalogueMigrations,
  catalogueProblemsOffThread,
  catalogueTexts,
  createCatalogueReview,
  createCatalogueStore,
  identify,
  readMatterSources,
  seedCatalogue,
  startLive,
  type CatalogueDirs,
  type CatalogueReview,
  type CatalogueStore,
  type CatalogueTexts,
  type Live,
} from "@onecert/catalogue";
import { migrate, Refusal, type Db, type Logger } from "@onecert/subgraph-kit";

/** The gateway's view of the live catalogue: the matters its policy serves, and their review. */
export interface GatewayCatalogue {
  store: CatalogueStore;
  review: CatalogueReview;
  /** The live matters; every read goes to the catalogue in service at that moment. */
  matters: MatterCatalogue;
  /** The live catalogue's generation (the latest release), as this replica serves it. */
  generation(): number;
  /** The live catalogue as texts, read from the database now (the registry's checks). */
  texts(): Promise<CatalogueTexts>;
  /** Reads the database now and switches when a release happened (after a publish, say). */
  refresh(): Promise<void>;
  /**
   * refresh(), at most every 250 ms however many requests ask (a request naming a matter this
   * replica does not know: a flood of unknown codes costs one cheap read per interval).
   */
  lookAgain(): Promise<void>;
  close(): void;
}

export interface GatewayCatalogueOptions extends CatalogueDirs {
  db: Db;
  departments: DepartmentStore;
  logger: Logger;
  /** The supergraph SDL served now; null before the first load. */
  supergraphSdl(): string | null;
  /** How often the catalogue's generation is read. Default 1000 ms. */
  pollMs?: number;
}

async function mattersOf(texts: CatalogueTexts, departments: DepartmentStore): Promise<MatterCatalogue> {
  const read = readMatterSources(texts.matters);
  if (read.problems.length > 0)
    throw new Error(`the live matters have problems:\n  ${read.problems.join("\n  ")}`);
  const unknown = await departments.matterProblems(read.catalogue.list());
  if (unknown.length > 0)
    throw new Error(`matters name departments the directory does not hold:\n  ${unknown.join("\n  ")}`);
  return read.catalogue;
}

/**
 * Opens the live catalogue in the gateway's database: seeded from the YAML directories when it
 * is empty (the first start), then watched, so a publish on any replica is served here within
 * about a second. A catalogue that cannot be read at start stops the start, as a broken file did.
 */
export async function openGatewayCatalogue(options: GatewayCatalogueOptions): Promise<GatewayCatalogue> {
  const { db, departments } = options;
  await migrate(db, CATALOGUE_SCHEMA, catalogueMigrations);
  const store = createCatalogueStore(db);
  // The same reading as the start always did: every matter file's problems, with file and line.
  const validate = async (files: CatalogueTexts) => {
    const read = readMatterSources(files.matters);
    return read.problems.length > 0 ? read.problems : departments.matterProblems(read.catalogue.list());
  };
  if (await seedCatalogue(store, options, validate))
    options.logger.info({ mattersDir: options.mattersDir }, "live catalogue seeded from the catalogue files");
  const texts = async () => catalogueTexts((await store.live()).entries);
  const live: Live<MatterCatalogue> = await startLive({
    name: "catalogue",
    stamp: async () => String(await store.generation()),
    build: async () => mattersOf(await texts(), departments),
    pollMs: options.pollMs,
    logger: options.logger,
  });
  const review = createCatalogueReview({
    store,
    supergraph: () => {
      const sdl = options.supergraphSdl();
      if (sdl === null)
        throw new Refusal("UNAVAILABLE", "the supergraph is not loaded yet; try again shortly");
      return Promise.resolve(sdl);
    },
    problems: (catalogue, sdl) => catalogueProblemsOffThread(catalogue, sdl, { matterFields: true }),
    // The departments an entry names must be in the directory: a typo is not a new department.
    async gatewayProblems(catalogue, _sdl, entry) {
      if (entry.kind === "matter") {
        const read = readMatterSources(catalogue.matters.filter((m) => m.file === entry.label));
        return departments.matterProblems(read.catalogue.list());
      }
      const shape = identify(entry.kind, entry.label, entry.source);
      if (!("code" in shape)) return [];
      return departments.require(shape.department).then(
        () => [],
        (error: unknown) => [`${entry.label}: ${(error as Error).message}`],
      );
    },
  });
  const matters: MatterCatalogue = {
    get: (code) => live.current().get(code),
    list: () => live.current().list(),
    allows: (matter, typeName, fieldName, owners) =>
      live.current().allows(matter, typeName, fieldName, owners),
    refusal: (matter, client) => live.current().refusal(matter, client),
  };
  let looked: { at: number; done: Promise<void> } | null = null;
  const lookAgain = () => {
    if (!looked || Date.now() - looked.at >= 250) looked = { at: Date.now(), done: live.refresh() };
    return looked.done;
  };
  return {
    store,
    review,
    matters,
    lookAgain,
    generation: () => Number(live.stamp()),
    texts,
    refresh: () => live.refresh(),
    close: () => live.stop(),
  };
}
