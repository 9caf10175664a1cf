// The certificate catalogue: certificate types and matters (schema/certificates, schema/matters),
// checked against a supergraph, and the merge of a check's operations into one operation.
export {
  CatalogueError,
  loadCatalogue,
  loadCatalogueTexts,
  type CatalogueSources,
  type LoadedCatalogue,
} from "./load";
export {
  readCatalogueDirs,
  readSources,
  type CatalogueDirs,
  type CatalogueSource,
  type CatalogueTexts,
} from "./sources";
export { checkMatterFile, matterFileSchema, type MatterFile } from "./matter-schema";
export { checkCertificateFile, certificateFileSchema, type CertificateFile } from "./certificate-schema";
export { readMatterFiles, readMatterSources, type MatterFiles } from "./matter-file";
export type { CheckedFile } from "./yaml-file";
export { compileExpression, ExpressionError, type CompiledExpression } from "./expressions";
export { supergraphView, type SupergraphView } from "./supergraph";
export * from "./model";
export {
  fillTemplate,
  placeholders,
  reasonFrom,
  REASON_CODE,
  REASON_LANGUAGES,
  type CertificateReasons,
  type Reason,
  type ReasonCase,
  type ReasonLanguage,
  type ReasonTemplate,
} from "./reasons";
export { mergeChecks, type CheckItem, type MergedCheck, type ProjectedItem } from "./merge";
export { checkOperation, parameterProblem, type CheckedOperation } from "./operation";
export { catalogueProblems, type CatalogueCheckOptions } from "./fit";
export { catalogueProblemsOffThread } from "./fit-thread";
export * from "./store";
