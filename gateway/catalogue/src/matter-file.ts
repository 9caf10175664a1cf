import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createMatterCatalogue, matterFrom, type Matter, type MatterCatalogue } from "@onecert/access";
import { checkMatterFile } from "./matter-schema";

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
  const problems: string[] = [];
  const matters = new Map<string, Matter>();
  const sources = new Map<string, string>();
  const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));
  for (const file of files.sort()) {
    const path = join(dir, file);
    const text = readFileSync(path, "utf8");
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
