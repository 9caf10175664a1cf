import { readCatalogueDirs, type CatalogueDirs, type CatalogueTexts } from "../sources";
import type { EntryKind } from "./model";
import type { CatalogueStore } from "./store";
import { identify } from "./texts";

/** Who the seed's versions and releases name. */
export const SEED_ACTOR = "system";

/**
 * Seeds the live catalogue from the YAML directories (schema/matters, schema/certificates):
 * version 1 of every entry, live, as the text its file holds, until the first publish, rollback
 * or import (see CatalogueStore.seed); after that the database is the catalogue and
 * `onecert catalogue import` is how files reach it. Files with problems (their shape, or what
 * `validate` finds) stop the start, naming file, line and column, and nothing is stored.
 */
export async function seedCatalogue(
  store: CatalogueStore,
  dirs: CatalogueDirs,
  validate?: (texts: CatalogueTexts) => Promise<string[]>,
): Promise<boolean> {
  const texts = readCatalogueDirs(dirs);
  const problems: string[] = [];
  const entries: { kind: EntryKind; code: string; department: string; source: string; file: string }[] = [];
  for (const [kind, sources] of [
    ["certificate", texts.certificates],
    ["matter", texts.matters],
  ] as const) {
    for (const { file, text } of sources) {
      const shape = identify(kind, file, text);
      if ("code" in shape)
        entries.push({ kind, code: shape.code, department: shape.department, source: text, file });
      else problems.push(...shape.problems);
    }
  }
  if (problems.length === 0 && validate) problems.push(...(await validate(texts)));
  if (problems.length > 0) throw new Error(`the catalogue files have problems:\n  ${problems.join("\n  ")}`);
  return store.seed(entries, SEED_ACTOR, "seeded from the catalogue files");
}
