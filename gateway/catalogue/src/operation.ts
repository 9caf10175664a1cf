import {
  coerceInputValue,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  typeFromAST,
  validate,
  visit,
  type DocumentNode,
  type GraphQLInputType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
} from "graphql";
import type { FileProblems } from "./fields";
import { SUBJECT_ROOTS, type OperationVariable, type SubjectKind } from "./model";
import type { SupergraphView } from "./supergraph";

export interface CheckedOperation {
  document: DocumentNode;
  definition: OperationDefinitionNode;
  selection: SelectionSetNode;
  variables: OperationVariable[];
}

/**
 * A certificate operation is one query with one root field, `person(idNumber: $subject)` or
 * `enterprise(uscc: $subject)`, and plain fields below it (no fragments or directives, so it can
 * be merged with others); every other variable is filled from the parameter of its name.
 */
export function checkOperation(
  text: string,
  subject: SubjectKind,
  parameters: Record<string, unknown>,
  view: SupergraphView,
  p: FileProblems,
): CheckedOperation | null {
  if (!text) return null;
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    p.add(`operation: ${(error as GraphQLError).message}`);
    return null;
  }
  const errors = validate(view.apiSchema, document);
  for (const error of errors) p.add(`operation is not valid against the supergraph: ${error.message}`);
  const definitions = document.definitions;
  const definition = definitions[0];
  if (
    definitions.length !== 1 ||
    definition?.kind !== Kind.OPERATION_DEFINITION ||
    definition.operation !== OperationTypeNode.QUERY
  ) {
    p.add("operation must be exactly one query (no fragments)");
    return null;
  }
  let subjectUses = 0;
  visit(document, {
    FragmentSpread: () => void p.add("operation: fragments are not supported; select fields directly"),
    InlineFragment: () => void p.add("operation: fragments are not supported; select fields directly"),
    Directive: () => void p.add("operation: directives are not supported"),
    VariableDefinition: () => false,
    Variable: (node) => void (node.name.value === "subject" && subjectUses++),
  });
  const root = SUBJECT_ROOTS[subject];
  const field = definition.selectionSet.selections[0];
  const argument = field?.kind === Kind.FIELD ? field.arguments?.[0] : undefined;
  if (
    definition.selectionSet.selections.length !== 1 ||
    field?.kind !== Kind.FIELD ||
    field.name.value !== root.field ||
    field.arguments?.length !== 1 ||
    argument?.name.value !== root.arg ||
    argument.value.kind !== Kind.VARIABLE ||
    argument.value.name.value !== "subject" ||
    !field.selectionSet
  ) {
    p.add(`operation must select one root field, ${root.field}(${root.arg}: $subject) { ... }`);
    return null;
  }
  if (subjectUses > 1) p.add("operation: $subject may only be the root field's argument");
  const variables: OperationVariable[] = [];
  for (const variable of definition.variableDefinitions ?? []) {
    const name = variable.variable.name.value;
    if (name === "subject") {
      const type = variable.type;
      if (
        type.kind !== Kind.NON_NULL_TYPE ||
        type.type.kind !== Kind.NAMED_TYPE ||
        type.type.name.value !== root.scalar
      )
        p.add(`operation: $subject must be ${root.scalar}!`);
      continue;
    }
    if (!(name in parameters)) {
      p.add(`operation: $${name} has no parameter of that name`);
      continue;
    }
    const problem = parameterProblem(view, variable.type, parameters[name]);
    if (problem) p.add(`parameter ${name}: ${problem}`);
    variables.push({ name, type: variable.type });
  }
  if (errors.length > 0) return null;
  return { document, definition, selection: field.selectionSet, variables };
}

/** Why `value` does not fit a variable of `type`, or null when it does. */
export function parameterProblem(view: SupergraphView, type: TypeNode, value: unknown): string | null {
  const inputType = typeFromAST(view.apiSchema, type as never) as GraphQLInputType | undefined;
  if (!inputType) return "unknown type";
  const problems: string[] = [];
  coerceInputValue(value ?? null, inputType, (_path, _invalid, error) => problems.push(error.message));
  return problems[0] ?? null;
}
