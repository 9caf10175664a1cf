import { resolve } from "node:path";

/** The repository root: schema/, .data/ and the catalogues are found from here. */
export const ROOT = resolve(__dirname, "../../..");
export const SCHEMA_DIR = resolve(ROOT, "schema");
export const SUPERGRAPH_PATH = resolve(SCHEMA_DIR, "supergraph.graphql");
export const DATA_DIR = resolve(ROOT, ".data");
