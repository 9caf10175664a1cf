import { checkCertificateFile } from "../certificate-schema";
import { checkMatterFile } from "../matter-schema";
import type { CatalogueSource, CatalogueTexts } from "../sources";
import type { EntryKind, LiveEntry } from "./model";

/** How problems name a stored version: `catalogue/matter/newborn@v3` (a proposal: `@proposed`). */
export const entryLabel = (kind: EntryKind, code: string, version: number | "proposed") =>
  `catalogue/${kind}/${code}@${version === "proposed" ? "proposed" : `v${version}`}`;

/** An entry as the catalogue's loaders read it. */
export interface EntryText {
  kind: EntryKind;
  code: string;
  label: string;
  source: string;
}

/**
 * The catalogue as texts: the live entries with `replace` standing in for the live version of
 * its entry (or joining them, for a new code). What a proposal, a publish or a rollback is
 * checked as: the whole catalogue it would make, so a certificate type a live matter needs is
 * checked with that matter.
 */
export function catalogueTexts(live: readonly LiveEntry[], replace?: EntryText): CatalogueTexts {
  const texts: Record<EntryKind, CatalogueSource[]> = { matter: [], certificate: [] };
  for (const entry of live) {
    if (replace && entry.kind === replace.kind && entry.code === replace.code) continue;
    const file = entry.file ?? entryLabel(entry.kind, entry.code, entry.version);
    texts[entry.kind].push({ file, text: entry.source });
  }
  if (replace) texts[replace.kind].push({ file: replace.label, text: replace.source });
  return { matters: texts.matter, certificates: texts.certificate };
}

/** What a proposed text says it is, or the problems of its shape (file:line:col: reason). */
export function identify(
  kind: EntryKind,
  label: string,
  source: string,
): { code: string; department: string; problems: [] } | { problems: string[] } {
  if (kind === "matter") {
    const checked = checkMatterFile(label, source);
    if (!checked.value) return { problems: checked.problems };
    return { code: checked.value.code, department: checked.value.department, problems: [] };
  }
  const checked = checkCertificateFile(label, source);
  if (!checked.value) return { problems: checked.problems };
  return { code: checked.value.id, department: checked.value.department, problems: [] };
}
