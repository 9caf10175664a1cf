import {
  Kind,
  parse,
  print,
  visit,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
  OperationTypeNode,
} from "graphql";
import { restrict, UNCACHEABLE, type CachePolicy, type HintIndex } from "./hints";
import { digest } from "./keys";
import { selectionPolicy, type Fragments } from "./walk";

/** What the cache needs of the selection of one entity type in an `_entities` fetch. */
export interface EntityPart {
  selectionSet: SelectionSetNode;
  /** Digest of the supergraph and the normalized selection: part of the entity key. */
  selection: string;
  /** Variables the selection uses (their values are part of the key too). */
  variables: string[];
  policy: CachePolicy;
}

/** A root field of a root-field fetch, and the argument that names the entity it returns, if any. */
export interface RootField {
  responseKey: string;
  /** The entity type returned, when the field has an argument named like its key (`person(idNumber:)`). */
  entityType: string | null;
  keyArgument: ValueNode | null;
}

export type FetchPlan =
  | { kind: "entities"; parts: Map<string, EntityPart>; fragments: Fragments }
  | {
      kind: "root";
      selectionSet: SelectionSetNode;
      selection: string;
      variables: string[];
      policy: CachePolicy;
      /** The entity type of the first root field, for the counters. */
      label: string;
      fields: RootField[];
      fragments: Fragments;
    }
  | { kind: "none" };

const NONE: FetchPlan = { kind: "none" };

/** Replaces fragment spreads by inline fragments, so equal selections print equally. */
function inline(selectionSet: SelectionSetNode, fragments: Fragments): SelectionSetNode {
  const selections = selectionSet.selections.map((selection): SelectionNode => {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (!fragment) throw new Error(`unknown fragment ${selection.name.value}`);
      return {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: fragment.typeCondition,
        directives: selection.directives,
        selectionSet: inline(fragment.selectionSet, fragments),
      };
    }
    if (!selection.selectionSet) return selection;
    return { ...selection, selectionSet: inline(selection.selectionSet, fragments) };
  });
  return { ...selectionSet, selections };
}

function variablesIn(node: SelectionSetNode): string[] {
  const names = new Set<string>();
  visit(node, { Variable: (variable) => void names.add(variable.name.value) });
  return [...names].sort();
}

/**
 * Reads a subgraph fetch the query planner built: `_entities(representations:)` with a fragment
 * per entity type, or root fields of a query. Anything else (mutations, several operations,
 * unknown shapes) is "none" and passes through uncached.
 */
export function planFetch(index: HintIndex, query: string): FetchPlan {
  let document;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return NONE;
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const operation = operations[0];
  if (operations.length !== 1 || !operation || operation.operation !== OperationTypeNode.QUERY) return NONE;
  const selectionSet = inline(operation.selectionSet, fragments);
  const fields = selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (fields.length !== selectionSet.selections.length) return NONE;

  const entities = fields.find((field) => field.name.value === "_entities");
  if (entities) {
    if (fields.length !== 1 || !entities.selectionSet) return NONE;
    const shared = entities.selectionSet.selections.filter((s) => s.kind !== Kind.INLINE_FRAGMENT);
    const parts = new Map<string, EntityPart>();
    for (const selection of entities.selectionSet.selections) {
      if (selection.kind !== Kind.INLINE_FRAGMENT || !selection.typeCondition) continue;
      const type = selection.typeCondition.name.value;
      const previous = parts.get(type)?.selectionSet.selections ?? shared;
      const own: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [...previous, selection] };
      const entityPolicy = index.typePolicy(type) ?? UNCACHEABLE;
      parts.set(type, {
        selectionSet: own,
        // The supergraph's id too: a new schema (hints, share rules) starts a new key space.
        selection: digest(`${index.id}|${type}|${print(own)}`),
        variables: variablesIn(own).filter((name) => name !== "representations"),
        policy: restrict(entityPolicy, selectionPolicy(index, type, own, new Map())),
      });
    }
    return { kind: "entities", parts, fragments: new Map() };
  }

  const rootFields = fields.filter((field) => !field.name.value.startsWith("__"));
  if (rootFields.length === 0) return NONE;
  const label = index.returnType("Query", rootFields[0].name.value) ?? "Query";
  return {
    kind: "root",
    selectionSet,
    selection: digest(`${index.id}|${print(selectionSet)}`),
    variables: variablesIn(selectionSet),
    policy: selectionPolicy(index, "Query", selectionSet, new Map()),
    label,
    fields: rootFields.map((field) => rootField(index, field)),
    fragments: new Map(),
  };
}

/** `person(idNumber: $id)` names Person $id; `persons(idNumbers: [...])` each of its values. */
function rootField(index: HintIndex, field: FieldNode): RootField {
  const responseKey = field.alias?.value ?? field.name.value;
  const type = index.returnType("Query", field.name.value);
  const keys = type ? index.keyFields(type) : null;
  const key = keys?.length === 1 ? keys[0] : undefined;
  const argument = key
    ? field.arguments?.find((arg) => arg.name.value === key || arg.name.value === `${key}s`)
    : undefined;
  return { responseKey, entityType: argument ? type! : null, keyArgument: argument?.value ?? null };
}

/** The string values of a key argument, resolving variables; null when it holds anything else. */
export function keyValues(node: ValueNode, variables: Record<string, unknown>): string[] | null {
  const value = node.kind === Kind.VARIABLE ? variables[node.name.value] : literal(node);
  const list = Array.isArray(value) ? value : [value];
  return list.every((item) => typeof item === "string") ? list : null;
}

function literal(node: ValueNode): unknown {
  if (node.kind === Kind.STRING) return node.value;
  if (node.kind === Kind.LIST) return node.values.map(literal);
  return undefined;
}
