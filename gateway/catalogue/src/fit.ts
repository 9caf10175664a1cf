import { existsSync } from "node:fs";
import { CatalogueError, loadCatalogue } from "./load";
import { supergraphView } from "./supergraph";

/**
 * The problems the certificate catalogue would have against `supergraphSdl` (none: it fits), for
 * the department registry to refuse a change that would stop the certificates service from
 * starting or a check from running. No catalogue directory: nothing to keep, no problems.
 */
export function catalogueProblems(
  dirs: { certificatesDir: string; mattersDir: string },
  supergraphSdl: string,
): string[] {
  if (!existsSync(dirs.certificatesDir)) return [];
  try {
    loadCatalogue({ ...dirs, supergraph: supergraphView(supergraphSdl) });
    return [];
  } catch (error) {
    if (error instanceof CatalogueError) return error.problems;
    return [(error as Error).message];
  }
}
