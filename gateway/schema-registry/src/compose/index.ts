export { composeSubgraphs, type ComposableSubgraph, type Composed } from "./compose";
export { composeOffThread } from "./thread";
