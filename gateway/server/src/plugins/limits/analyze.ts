import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

/** What one operation would cost to run, as the limits see it. */
export interface Analysis {
  /** Deepest field nesting; a root field is depth 1. */
  depth: number;
  /** Aliased fields, counted once per place they appear after fragments are expanded. */
  aliases: number;
  /** Distinct response keys at the root after fragments are expanded. */
  rootFields: number;
  /** Each field 1; a list field multiplies its subtree by its estimated size. */
  cost: number;
}

export interface AnalyzeOptions {
  /** Assumed size of a list whose size no argument gives. Default 10. */
  defaultListSize?: number;
}

interface Summary {
  depth: number;
  aliases: number;
  cost: number;
}

const NOTHING: Summary = { depth: 0, aliases: 0, cost: 0 };
const SIZE_ARGUMENTS = ["first", "limit", "last"];

/**
 * Measures `operation` of `document` against `schema` with the request's `variables`. Fragments
 * are expanded; a fragment's result is memoised (it does not depend on where it is spread), so
 * a "fragment bomb" costs linear time, and a fragment spread inside itself counts as empty
 * instead of looping. @skip/@include are ignored: the estimate is deliberately pessimistic.
 */
export function analyze(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
  variables: Record<string, unknown> = {},
  options: AnalyzeOptions = {},
): Analysis {
  const defaultListSize = options.defaultListSize ?? 10;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // Variable values as given (an explicit null included), else their defaults, else unknown.
  const values = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (variables[name] !== undefined) values.set(name, variables[name]);
    else if (definition.defaultValue) values.set(name, valueFromASTUntyped(definition.defaultValue));
  }
  const memo = new Map<string, Summary>();
  const expanding = new Set<string>();

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): Summary => {
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      let part: Summary;
      if (selection.kind === Kind.FIELD) part = field(selection, parent);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        part = walk(selection.selectionSet, condition ? schema.getType(condition) : parent);
      } else part = spread(selection.name.value);
      depth = Math.max(depth, part.depth);
      aliases = bounded(aliases + part.aliases);
      cost = bounded(cost + part.cost);
    }
    return { depth, aliases, cost };
  };

  const spread = (name: string): Summary => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || expanding.has(name)) return NOTHING;
    expanding.add(name);
    const summary = walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
    expanding.delete(name);
    memo.set(name, summary);
    return summary;
  };

  const field = (node: FieldNode, parent: GraphQLNamedType | undefined): Summary => {
    const definition = fieldDefinition(schema, parent, node.name.value);
    const child = node.selectionSet
      ? walk(node.selectionSet, definition ? getNamedType(definition.type) : undefined)
      : NOTHING;
    const multiplier = definition ? listMultiplier(node, definition) : 1;
    return {
      depth: child.depth + 1,
      aliases: child.aliases + (node.alias ? 1 : 0),
      cost: bounded(1 + multiplier * child.cost),
    };
  };

  // Each list wrapper multiplies: the outer one by what the arguments say, inner ones by the default.
  const listMultiplier = (node: FieldNode, definition: GraphQLField<unknown, unknown>): number => {
    let multiplier = 1;
    let current = getNullableType(definition.type);
    for (let outer = true; isListType(current); outer = false) {
      multiplier *= outer ? listSize(node, definition) : defaultListSize;
      current = getNullableType(current.ofType);
    }
    return multiplier;
  };

  const listSize = (node: FieldNode, definition: GraphQLField<unknown, unknown>): number => {
    let fromList: number | undefined;
    for (const argument of node.arguments ?? []) {
      const argumentType = definition.args.find((arg) => arg.name === argument.name.value)?.type;
      if (argumentType ? !isListType(getNullableType(argumentType)) : argument.value.kind !== Kind.LIST)
        continue;
      const length = listLength(argument.value);
      if (length !== undefined) fromList = Math.max(fromList ?? 0, length);
    }
    if (fromList !== undefined) return fromList;
    for (const name of SIZE_ARGUMENTS) {
      const argument = node.arguments?.find((candidate) => candidate.name.value === name);
      const size = argument ? valueOf(argument.value) : undefined;
      if (typeof size === "number" && Number.isInteger(size)) return Math.max(0, size);
    }
    return defaultListSize;
  };

  // Input coercion turns a single value given for a list argument into a list of one.
  const listLength = (node: ValueNode): number | undefined => {
    if (node.kind === Kind.LIST) return node.values.length;
    const value = valueOf(node);
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? value.length : 1;
  };

  const valueOf = (node: ValueNode): unknown =>
    node.kind === Kind.VARIABLE ? values.get(node.name.value) : valueFromASTUntyped(node);

  const root = schema.getRootType(operation.operation) ?? undefined;
  const summary = walk(operation.selectionSet, root);
  return { ...summary, rootFields: rootResponseKeys(operation.selectionSet, fragments) };
}

function fieldDefinition(
  schema: GraphQLSchema,
  parent: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent && parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

// Merged fields run once, so the root counts response keys; each fragment is visited once.
function rootResponseKeys(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>) {
  const keys = new Set<string>();
  const visited = new Set<string>();
  const collect = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) keys.add((selection.alias ?? selection.name).value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(selectionSet);
  return keys.size;
}

// Astronomic estimates stay finite so that they survive JSON (Infinity would become null).
const bounded = (value: number): number => Math.min(value, Number.MAX_SAFE_INTEGER);
