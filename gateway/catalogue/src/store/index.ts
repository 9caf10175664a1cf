// The live catalogue: matters and certificate types as versioned, reviewed data in the gateway's
// database, seeded from the YAML files, watched by every replica and the certificates service.
export { CATALOGUE_SCHEMA, catalogueMigrations } from "./migrations";
export * from "./model";
export { createCatalogueStore, type CatalogueStore, type NewVersion, type ReleaseInput } from "./store";
export {
  createCatalogueReview,
  type CatalogueActor,
  type CatalogueReview,
  type CatalogueReviewDeps,
  type CheckResult,
} from "./review";
export { catalogueTexts, entryLabel, identify, type EntryText } from "./texts";
export { seedCatalogue, SEED_ACTOR } from "./seed";
export { startLive, type Live, type LiveOptions } from "./live";
