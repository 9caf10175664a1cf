import {
  Kind,
  getNamedType,
  isAbstractType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** One field the caller selected, with where it lands in the response (aliases, no indices). */
export interface SelectedField {
  typeName: string;
  fieldName: string;
  path: string;
}

/** A response key and every field that can land there (several under abstract types). */
export interface ShapeEntry {
  typeName: string;
  fieldName: string;
  children?: Shape;
}
export type Shape = Map<string, ShapeEntry[]>;

export interface OperationShape {
  fields: SelectedField[];
  shape: Shape;
}

/**
 * Lists every field an operation selects, through fragments and inline fragments, with its
 * parent type: what the policy decides on before anything is fetched. Meta fields (__typename,
 * introspection) are left out; introspection is governed by the server's own switch.
 */
export function analyzeSelection(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fields: SelectedField[] = [];
  const root = schema.getRootType(operation.operation);
  const shape: Shape = new Map();
  if (!root) return { fields, shape };

  const walk = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    path: string,
    into: Shape,
    seen: Set<string>,
  ) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith("__")) continue;
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const definition = parent.getFields()[name];
        if (!definition) continue;
        const key = selection.alias?.value ?? name;
        const fieldPath = path ? `${path}.${key}` : key;
        fields.push({ typeName: parent.name, fieldName: name, path: fieldPath });
        const entry: ShapeEntry = { typeName: parent.name, fieldName: name };
        const named = getNamedType(definition.type);
        if (selection.selectionSet && (isObjectType(named) || isAbstractType(named))) {
          entry.children = new Map();
          walk(selection.selectionSet, named, fieldPath, entry.children, seen);
        }
        into.set(key, [...(into.get(key) ?? []), entry]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        if (condition && (isObjectType(condition) || isAbstractType(condition))) {
          walk(selection.selectionSet, condition, path, into, seen);
        }
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const condition = schema.getType(fragment.typeCondition.name.value);
        if (condition && (isObjectType(condition) || isAbstractType(condition))) {
          walk(fragment.selectionSet, condition, path, into, new Set([...seen, fragment.name.value]));
        }
      }
    }
  };
  walk(operation.selectionSet, root, "", shape, new Set());
  return { fields, shape };
}
