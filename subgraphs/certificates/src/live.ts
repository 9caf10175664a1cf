import { readFile } from "node:fs/promises";
import {
  CATALOGUE_SCHEMA,
  catalogueMigrations,
  catalogueTexts,
  createCatalogueStore,
  loadCatalogueTexts,
  seedCatalogue,
  startLive,
  supergraphView,
  type CatalogueDirs,
  type CertificateCatalogue,
  type LoadedCatalogue,
  type SupergraphView,
} from "@onecert/catalogue";
import { migrate, type Db, type Logger } from "@onecert/subgraph-kit";
import type { CertificatesSupergraph } from "./config";

/** A supergraph that may change: a cheap stamp to poll, and the SDL of what the stamp names. */
export interface SupergraphWatch {
  stamp(): Promise<string>;
  sdl(): Promise<string>;
}

/** The configured supergraph (a file, or SDL in memory), read once. */
export function fixedSupergraph(source: CertificatesSupergraph): SupergraphWatch {
  const sdl = source.kind === "sdl" ? Promise.resolve(source.sdl) : readFile(source.path, "utf8");
  return { stamp: () => Promise.resolve("fixed"), sdl: () => sdl };
}

export interface LiveCatalogueOptions<T> {
  db: Db;
  /** The YAML files that seed an empty catalogue (the gateway seeds the same ones). */
  dirs: CatalogueDirs;
  supergraph: SupergraphWatch;
  /** Builds what serves requests from a catalogue that fits the supergraph. */
  build(catalogue: LoadedCatalogue, supergraph: SupergraphView): T;
  /** Default 1000 ms. */
  pollMs?: number;
  logger: Logger;
}

/**
 * The certificates service's live catalogue: the published versions in the gateway's database,
 * checked against the supergraph served now, rebuilt when either changes. A catalogue that does
 * not fit stops the start (naming the entries), and later keeps the previous one in service.
 */
export async function liveCatalogue<T extends { catalogue: CertificateCatalogue }>(
  options: LiveCatalogueOptions<T>,
) {
  const { db } = options;
  await migrate(db, CATALOGUE_SCHEMA, catalogueMigrations);
  const store = createCatalogueStore(db);
  await seedCatalogue(store, options.dirs);
  // Building the query planner of a supergraph is the costly part: once per SDL.
  let view: { sdl: string; view: SupergraphView } | null = null;
  const viewOf = (sdl: string) => {
    if (view?.sdl !== sdl) view = { sdl, view: supergraphView(sdl) };
    return view.view;
  };
  let generation = 0;
  const live = await startLive<T>({
    name: "catalogue",
    stamp: async () => `${await store.generation()}:${await options.supergraph.stamp()}`,
    async build() {
      const [snapshot, sdl] = await Promise.all([store.live(), options.supergraph.sdl()]);
      const supergraph = viewOf(sdl);
      const built = options.build(
        loadCatalogueTexts(catalogueTexts(snapshot.entries), supergraph),
        supergraph,
      );
      generation = snapshot.generation;
      return built;
    },
    pollMs: options.pollMs,
    logger: options.logger,
  });
  return { ...live, generation: () => generation };
}
