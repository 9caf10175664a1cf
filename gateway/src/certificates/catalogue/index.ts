export { CatalogueError, loadCatalogue, type CatalogueSources } from "./load";
export { compileExpression, ExpressionError, type CompiledExpression } from "./expressions";
export { supergraphView, type SupergraphView } from "./supergraph";
export * from "./model";
