import { resolve } from "node:path";

/** The repository root: schema/ and the catalogues are found from here. */
export const ROOT = resolve(__dirname, "../../..");
export const SCHEMA_DIR = resolve(ROOT, "schema");
export const SUPERGRAPH_PATH = resolve(SCHEMA_DIR, "supergraph.graphql");
/**
 * Where the development stack keeps its embedded databases, demo credentials and world file.
 * Env ONECERT_DATA_DIR, default .data in the repository root.
 */
export const DATA_DIR = process.env.ONECERT_DATA_DIR
  ? resolve(process.env.ONECERT_DATA_DIR)
  : resolve(ROOT, ".data");
