import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One catalogue entry's text and the name problems give it (a file path, or a stored version). */
export interface CatalogueSource {
  file: string;
  text: string;
}

/** A whole catalogue as texts: what the YAML directories hold, or the database's live versions. */
export interface CatalogueTexts {
  certificates: readonly CatalogueSource[];
  matters: readonly CatalogueSource[];
}

/** Where the YAML catalogue lives (schema/certificates and schema/matters by default). */
export interface CatalogueDirs {
  certificatesDir: string;
  mattersDir: string;
}

/** The `*.yaml` / `*.yml` files of `dir`, by name; none when the directory does not exist. */
export function readSources(dir: string): CatalogueSource[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      return { file: path, text: readFileSync(path, "utf8") };
    });
}

export const readCatalogueDirs = (dirs: CatalogueDirs): CatalogueTexts => ({
  certificates: readSources(dirs.certificatesDir),
  matters: readSources(dirs.mattersDir),
});
