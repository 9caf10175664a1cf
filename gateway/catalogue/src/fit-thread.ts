import { functionThread } from "@onecert/subgraph-kit/thread";
import type { CatalogueCheckOptions } from "./fit";
import type { CatalogueTexts } from "./sources";

/**
 * catalogueProblems in a thread of its own: checking every certificate type and matter against
 * a proposed supergraph is CPU work a schema publish must not do on the serving thread.
 */
export const catalogueProblemsOffThread = functionThread<
  [CatalogueTexts, string, CatalogueCheckOptions?],
  string[]
>(__dirname, "fit-worker", __filename.endsWith(".ts"));
