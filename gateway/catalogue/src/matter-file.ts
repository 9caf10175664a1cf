import { createMatterCatalogue, matterFrom, type Matter, type MatterCatalogue } from "@onecert/access";
import { checkMatterFile } from "./matter-schema";
import { readSources, type CatalogueSource } from "./sources";

/** The matters of a directory, each with its file's text; `problems` name file, line and column. */
export interface MatterFiles {
  catalogue: MatterCatalogue;
  /** Matter code to the text its file was read from. */
  sources: ReadonlyMap<string, string>;
  problems: string[];
}

/**
 * Reads schema/matters/*.yaml: each file's shape checked by matterFileSchema (every problem of
 * every file at once), then the admission rules and codes defined once. A file with problems is
 * left out of the catalogue.
 */
export function readMatterFiles(dir: string): MatterFiles {
  return readMatterSources(readSources(dir));
}

/** readMatterFiles over texts already read (the live catalogue's stored versions, say). */
export function readMatterSources(entries: readonly CatalogueSource[]): MatterFiles {
  const problems: string[] = [];
  const matters = new Map<string, Matter>();
  const sources = new Map<string, string>();
  for (const { file: path, text } of entries) {
    const checked = checkMatterFile(path, text);
    problems.push(...checked.problems);
    if (!checked.value) continue;
    if (matters.has(checked.value.code)) {
      problems.push(`${path}: matter ${checked.value.code} is defined twice`);
      continue;
    }
    try {
      matters.set(checked.value.code, matterFrom(path, checked.value));
      sources.set(checked.value.code, text);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { catalogue: createMatterCatalogue([...matters.values()]), sources, problems };
}
