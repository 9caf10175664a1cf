import { Supergraph, operationFromDocument } from "@apollo/federation-internals";
import { QueryPlanner, type PlanNode, type SubscriptionNode } from "@apollo/query-planner";
import type { DocumentNode, GraphQLSchema } from "graphql";
import { buildShareIndex } from "@onecert/access";

/** What the catalogue checks need from a composed supergraph. */
export interface SupergraphView {
  /** The schema clients see: certificate operations are validated against it. */
  apiSchema: GraphQLSchema;
  /** Subgraphs that resolve `Type.field` (empty when the supergraph has no such field). */
  owners(typeName: string, fieldName: string): readonly string[];
  /** Departments owning the data of `Type.field` (@share owner); empty when unknown. */
  departmentsOf(typeName: string, fieldName: string): ReadonlySet<string>;
  /** How many fetches the query planner sends to each subgraph for `document`. */
  fetchesPerSubgraph(document: DocumentNode): Map<string, number>;
}

/** Reads a supergraph SDL once: API schema, field owners and a query planner. */
export function supergraphView(supergraphSdl: string): SupergraphView {
  const supergraph = Supergraph.build(supergraphSdl);
  const apiSchema = supergraph.apiSchema().toGraphQLJSSchema();
  const index = buildShareIndex(supergraphSdl, () => undefined, "NOT_SHARED");
  let planner: QueryPlanner | undefined;
  return {
    apiSchema,
    owners: (typeName, fieldName) => index.field(typeName, fieldName)?.subgraphs ?? [],
    departmentsOf: (typeName, fieldName) => index.field(typeName, fieldName)?.departments ?? new Set(),
    fetchesPerSubgraph(document) {
      planner ??= new QueryPlanner(supergraph);
      const plan = planner.buildQueryPlan(operationFromDocument(supergraph.schema, document));
      const counts = new Map<string, number>();
      countFetches(plan.node, counts);
      return counts;
    },
  };
}

function countFetches(node: PlanNode | SubscriptionNode | undefined, counts: Map<string, number>): void {
  if (!node) return;
  switch (node.kind) {
    case "Fetch":
      counts.set(node.serviceName, (counts.get(node.serviceName) ?? 0) + 1);
      return;
    case "Sequence":
    case "Parallel":
      for (const child of node.nodes) countFetches(child, counts);
      return;
    case "Flatten":
      return countFetches(node.node, counts);
    case "Condition":
      countFetches(node.ifClause, counts);
      return countFetches(node.elseClause, counts);
    case "Defer":
      countFetches(node.primary.node, counts);
      for (const deferred of node.deferred) countFetches(deferred.node, counts);
      return;
    case "Subscription":
      countFetches(node.primary, counts);
      return countFetches(node.rest, counts);
  }
}
