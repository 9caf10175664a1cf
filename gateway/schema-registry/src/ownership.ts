import { Refusal } from "@onecert/subgraph-kit";
import {
  buildSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type GraphQLSchema,
} from "graphql";
import { buildShareIndex, type FieldShare } from "@onecert/access";

/** A composed supergraph with the departments of its subgraphs. */
export interface OwnershipView {
  supergraphSdl: string;
  apiSdl: string;
  departmentOf: (subgraph: string) => string | undefined;
}

const describe = (share: FieldShare | undefined) =>
  share
    ? `${share.level}${share.sensitivity.length ? ` [${share.sensitivity.join(", ")}]` : ""} owned by ${[...share.departments].join(", ") || "nobody"}`
    : "none";

function fieldsOf(schema: GraphQLSchema): string[] {
  const fields: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const name of Object.keys(type.getFields())) fields.push(`${type.name}.${name}`);
  }
  return fields;
}

/** "Type.field" of every top-level field of an entity key (join__type key), which every subgraph of the type resolves. */
function keyFields(supergraphSdl: string): Set<string> {
  const keys = new Set<string>();
  const key = (directive: ConstDirectiveNode) => {
    const value = directive.arguments?.find((arg) => arg.name.value === "key")?.value;
    return value?.kind === Kind.STRING ? value.value : "";
  };
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION)
      continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== "join__type") continue;
      let depth = 0;
      for (const token of key(directive).match(/[{}]|[_A-Za-z][_0-9A-Za-z]*/g) ?? []) {
        if (token === "{") depth += 1;
        else if (token === "}") depth -= 1;
        else if (depth === 0) keys.add(`${definition.name.value}.${token}`);
      }
    }
  }
  return keys;
}

/**
 * What a change would alter of data it has no say over. Composition merges a type's @share
 * from every subgraph that declares the type, so a newcomer's @share on Person would re-rule
 * fields of the population registry: a field's sharing rule may change only when every
 * department owning it has a subgraph the change touches (`departments`). And no subgraph may
 * come to resolve another department's field (through @override or @shareable), since the
 * planner could then answer it from there. Key fields are exempt: every subgraph of an entity
 * resolves its key. Throws INVALID_SDL when a @share cannot be read.
 */
export function ownershipConflicts(
  before: OwnershipView,
  after: OwnershipView,
  departments: ReadonlySet<string>,
): string[] {
  let previous: ReturnType<typeof buildShareIndex>;
  let next: ReturnType<typeof buildShareIndex>;
  try {
    previous = buildShareIndex(before.supergraphSdl, before.departmentOf, "NOT_SHARED");
    next = buildShareIndex(after.supergraphSdl, after.departmentOf, "NOT_SHARED");
  } catch (error) {
    throw new Refusal("INVALID_SDL", `a sharing rule cannot be read: ${(error as Error).message}`);
  }
  const kept = new Set(fieldsOf(buildSchema(after.apiSdl)));
  const keys = keyFields(after.supergraphSdl);
  const conflicts: string[] = [];
  for (const coordinate of fieldsOf(buildSchema(before.apiSdl))) {
    if (!kept.has(coordinate)) continue;
    const [type, field] = coordinate.split(".") as [string, string];
    const was = previous.field(type, field);
    const now = next.field(type, field);
    const owners = [...(was?.departments ?? [])];
    if (describe(was) !== describe(now) && !(owners.length > 0 && owners.every((o) => departments.has(o)))) {
      conflicts.push(`${coordinate}: sharing rule would change from ${describe(was)} to ${describe(now)}`);
    }
    if (keys.has(coordinate)) continue;
    const strangers = (now?.subgraphs ?? []).filter((subgraph) => {
      const department = after.departmentOf(subgraph);
      return !was?.subgraphs.includes(subgraph) && !(department && owners.includes(department));
    });
    if (strangers.length > 0) {
      conflicts.push(
        `${coordinate}: owned by ${owners.join(", ") || "nobody"}, would be resolved by ${strangers.join(", ")}`,
      );
    }
  }
  return conflicts;
}
