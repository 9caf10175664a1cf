import {
  Kind,
  valueFromASTUntyped,
  visit,
  type ArgumentNode,
  type FieldNode,
  type SelectionSetNode,
  type TypeNode,
  type VariableDefinitionNode,
} from "graphql";

/** A field of the merged operation: its response key and the merged selection below it. */
export interface MergedField {
  key: string;
  name: string;
  arguments: readonly ArgumentNode[];
  signature: string;
  children: Map<string, MergedField> | null;
}

export function renameVariables(argument: ArgumentNode, renamed: ReadonlyMap<string, string>): ArgumentNode {
  return visit(argument, {
    Variable: (node) => ({ ...node, name: name(renamed.get(node.name.value) ?? node.name.value) }),
  });
}

export function signatureOf(
  field: string,
  args: readonly ArgumentNode[],
  values: Readonly<Record<string, unknown>>,
) {
  const resolved = [...args]
    .sort((a, b) => a.name.value.localeCompare(b.name.value))
    .map((argument) => [argument.name.value, valueFromASTUntyped(argument.value, values)]);
  return resolved.length ? `${field}${JSON.stringify(resolved)}` : field;
}

export const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
export const named = (value: string) => ({ kind: Kind.NAMED_TYPE, name: name(value) }) as const;
export const leaf = (field: string): MergedField => ({
  key: field,
  name: field,
  arguments: [],
  signature: field,
  children: null,
});

export function variableDefinition(variable: string, type: TypeNode): VariableDefinitionNode {
  return { kind: Kind.VARIABLE_DEFINITION, variable: { kind: Kind.VARIABLE, name: name(variable) }, type };
}

export function selectionSet(fields: readonly MergedField[]): SelectionSetNode {
  return {
    kind: Kind.SELECTION_SET,
    selections: fields.map((field): FieldNode => ({
      kind: Kind.FIELD,
      alias: field.key === field.name ? undefined : name(field.key),
      name: name(field.name),
      arguments: field.arguments,
      selectionSet: field.children ? selectionSet([...field.children.values()]) : undefined,
    })),
  };
}
