import { getNamedType, isObjectType, Kind, type SelectionNode, type SelectionSetNode } from "graphql";
import type { SupergraphView } from "./supergraph";

/**
 * The subgraphs a selection under `Query.<rootField>` reads, in the order first read: a field
 * that several subgraphs resolve (an entity key) counts for its parent's subgraph, as the query
 * planner would fetch it there.
 */
export function registriesRead(
  view: SupergraphView,
  rootField: string,
  selection: SelectionSetNode,
): string[] {
  const found: string[] = [];
  const note = (subgraph: string) => {
    if (!found.includes(subgraph)) found.push(subgraph);
  };
  const pick = (owners: readonly string[], parent: string | undefined) =>
    owners.length === 1 || !parent || !owners.includes(parent) ? owners[0] : parent;
  const schema = view.apiSchema;
  const walk = (typeName: string, set: SelectionSetNode, parent: string | undefined) => {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) return;
    for (const selected of set.selections) {
      if (selected.kind !== Kind.FIELD || selected.name.value.startsWith("__")) continue;
      const field = type.getFields()[selected.name.value];
      if (!field) continue;
      const subgraph = pick(view.owners(typeName, field.name), parent);
      if (subgraph) note(subgraph);
      if (selected.selectionSet) walk(getNamedType(field.type).name, selected.selectionSet, subgraph);
    }
  };
  const root = schema.getQueryType();
  const subgraph = root ? pick(view.owners(root.name, rootField), undefined) : undefined;
  if (subgraph) note(subgraph);
  const rootType = root?.getFields()[rootField];
  if (rootType) walk(getNamedType(rootType.type).name, selection, subgraph);
  return found;
}

/** Whether `path` (response keys) names something the selection returns. */
export function selects(selection: SelectionSetNode, path: readonly string[]): boolean {
  let set: SelectionSetNode | undefined = selection;
  for (const key of path) {
    const field: SelectionNode | undefined = set?.selections.find(
      (selected) => selected.kind === Kind.FIELD && (selected.alias?.value ?? selected.name.value) === key,
    );
    if (!field || field.kind !== Kind.FIELD) return false;
    set = field.selectionSet;
  }
  return true;
}

/** The top-level response keys of a selection: the default `required` of a certificate. */
export const topLevelKeys = (selection: SelectionSetNode): string[] =>
  selection.selections.flatMap((selected) =>
    selected.kind === Kind.FIELD ? [selected.alias?.value ?? selected.name.value] : [],
  );
