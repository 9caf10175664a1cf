import type { FieldShare, ShareIndex } from "@onecert/access";
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** A field whose subgraph is sent other fields with each representation (@requires) or returns them (@provides). */
export interface RequiredRead {
  /** The subgraph that requires or provides them. */
  subgraph: string;
  /** "Type.field" that carries the directive. */
  coordinate: string;
  directive: "requires" | "provides";
  /** "Type.field" of every field in its field set, nested ones included. */
  reads: string[];
}

const text = (directive: ConstDirectiveNode, name: string) => {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : value?.kind === Kind.ENUM ? value.value : undefined;
};

/** "Type.field" of each field in `set` below `parent`, following nested selections and inline fragments. */
function fieldsIn(
  set: SelectionSetNode,
  parent: GraphQLCompositeType,
  schema: GraphQLSchema,
  into: string[],
) {
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
      if (on && (isObjectType(on) || isInterfaceType(on))) fieldsIn(selection.selectionSet, on, schema, into);
      continue;
    }
    if (selection.kind !== Kind.FIELD || selection.name.value.startsWith("__")) continue;
    if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
    const field = parent.getFields()[selection.name.value];
    if (!field) continue;
    into.push(`${parent.name}.${field.name}`);
    const named = getNamedType(field.type);
    if (selection.selectionSet && (isObjectType(named) || isInterfaceType(named)))
      fieldsIn(selection.selectionSet, named, schema, into);
  }
}

/**
 * Every @requires and @provides in a composed supergraph (its @join__field arguments), with the
 * fields each makes the gateway send to, or accept from, the subgraph.
 */
export function requiredReads(
  supergraphSdl: string,
  schema: GraphQLSchema,
  graphs: Map<string, string>,
): RequiredRead[] {
  const found: RequiredRead[] = [];
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION)
      continue;
    const parent = schema.getType(definition.name.value);
    if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) continue;
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== "join__field") continue;
        const graph = text(directive, "graph");
        for (const kind of ["requires", "provides"] as const) {
          const fieldSet = text(directive, kind);
          if (!graph || !fieldSet) continue;
          const target =
            kind === "requires" ? parent : getNamedType(parent.getFields()[field.name.value]?.type);
          if (!target || !(isObjectType(target) || isInterfaceType(target))) continue;
          const reads: string[] = [];
          const [operation] = parse(`{ ${fieldSet} }`).definitions as OperationDefinitionNode[];
          fieldsIn(operation.selectionSet, target, schema, reads);
          const subgraph = graphs.get(graph) ?? graph;
          found.push({ subgraph, coordinate: `${parent.name}.${field.name.value}`, directive: kind, reads });
        }
      }
    }
  }
  return found;
}

const owners = (share: FieldShare | undefined) => [...(share?.departments ?? [])].join(", ") || "nobody";

/**
 * What a department's subgraph would be sent (or could answer) of data other departments own:
 * a required or provided field is a read of it and follows the same sharing rules, so each one
 * owned by another department must be UNCONDITIONAL, or covered by an approved grant of the
 * requiring department (`granted`). Only reads `before` did not have are new conflicts.
 */
export function requiredReadConflicts(
  before: readonly RequiredRead[],
  after: readonly RequiredRead[],
  index: ShareIndex,
  departmentOf: (subgraph: string) => string | undefined,
  granted: (department: string, typeName: string, fieldName: string) => boolean,
): string[] {
  const known = new Set(
    before.flatMap((read) => read.reads.map((field) => `${read.subgraph} ${read.directive} ${field}`)),
  );
  const conflicts: string[] = [];
  for (const read of after) {
    const department = departmentOf(read.subgraph);
    for (const field of read.reads) {
      if (known.has(`${read.subgraph} ${read.directive} ${field}`)) continue;
      const [typeName, fieldName] = field.split(".") as [string, string];
      const share = index.field(typeName, fieldName);
      if (!share || (department && share.departments.has(department))) continue;
      if (share.level === "UNCONDITIONAL") continue;
      if (department && share.level === "CONDITIONAL" && granted(department, typeName, fieldName)) continue;
      conflicts.push(
        `${read.coordinate} @${read.directive}(${field}): ${field} is ${share.level}, owned by ${owners(share)}; ` +
          (share.level === "CONDITIONAL"
            ? `${department ?? read.subgraph} needs an approved grant covering it`
            : `only ${owners(share)} may read it`),
      );
    }
  }
  return conflicts;
}
