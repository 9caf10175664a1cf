import { CatalogueError, loadCatalogueTexts } from "./load";
import type { CatalogueTexts } from "./sources";
import { supergraphView } from "./supergraph";

/**
 * The problems the certificate catalogue would have against `supergraphSdl` (none: it fits), for
 * the department registry to refuse a change that would stop the certificates service from
 * starting or a check from running, and for a proposed catalogue version before it is approved.
 * An empty catalogue has nothing to keep: no problems.
 */
export function catalogueProblems(texts: CatalogueTexts, supergraphSdl: string): string[] {
  if (texts.certificates.length === 0 && texts.matters.length === 0) return [];
  try {
    loadCatalogueTexts(texts, supergraphView(supergraphSdl));
    return [];
  } catch (error) {
    if (error instanceof CatalogueError) return error.problems;
    return [(error as Error).message];
  }
}
