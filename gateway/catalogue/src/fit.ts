import { unknownMatterFields } from "@onecert/access";
import { CatalogueError, loadCatalogueTexts } from "./load";
import type { CatalogueTexts } from "./sources";
import { supergraphView } from "./supergraph";

export interface CatalogueCheckOptions {
  /**
   * Also name every matter field the API schema lacks, as the gateway's start does. Default
   * false: the registry checks those itself (MATTER_CONFLICT), a proposed version needs both.
   */
  matterFields?: boolean;
}

/**
 * The problems the certificate catalogue would have against `supergraphSdl` (none: it fits), for
 * the department registry to refuse a change that would stop the certificates service from
 * starting or a check from running, and for a proposed catalogue version before it is approved.
 * An empty catalogue has nothing to keep: no problems.
 */
export function catalogueProblems(
  texts: CatalogueTexts,
  supergraphSdl: string,
  options: CatalogueCheckOptions = {},
): string[] {
  if (texts.certificates.length === 0 && texts.matters.length === 0) return [];
  try {
    const view = supergraphView(supergraphSdl);
    const loaded = loadCatalogueTexts(texts, view);
    return options.matterFields ? unknownMatterFields(loaded.matterCatalogue, view.apiSchema) : [];
  } catch (error) {
    if (error instanceof CatalogueError) return error.problems;
    return [(error as Error).message];
  }
}
