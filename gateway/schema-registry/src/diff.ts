import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from "graphql";
import type { ChangeKind, FieldChange } from "./types";

type Fields = Record<string, GraphQLField<unknown, unknown>>;

const fieldsOf = (type: GraphQLNamedType | undefined): Fields | null =>
  isObjectType(type) || isInterfaceType(type) ? type.getFields() : null;

/** Whether every value a field returned before is still a valid answer for a caller after. */
function safeOutput(before: GraphQLOutputType, after: GraphQLOutputType): boolean {
  if (isNonNullType(before)) return isNonNullType(after) && safeOutput(before.ofType, after.ofType);
  if (isNonNullType(after)) return safeOutput(before, after.ofType);
  if (isListType(before)) return isListType(after) && safeOutput(before.ofType, after.ofType);
  return !isListType(after) && before.name === after.name;
}

/** Whether every argument value a caller sent before is still accepted after. */
function safeInput(before: GraphQLInputType, after: GraphQLInputType): boolean {
  if (isNonNullType(after)) return isNonNullType(before) && safeInput(before.ofType, after.ofType);
  if (isNonNullType(before)) return safeInput(before.ofType, after);
  if (isListType(after)) return isListType(before) && safeInput(before.ofType, after.ofType);
  return !isListType(before) && before.name === after.name;
}

const required = (arg: GraphQLArgument) => isNonNullType(arg.type) && arg.defaultValue === undefined;

/**
 * The changes from one API schema to the next that can break an operation, each named by the
 * field ("Type.field") an operation would have selected: removed types, fields and arguments,
 * incompatible type changes, new required arguments, removed enum values and union members.
 * Additions are never listed: no existing operation can notice them.
 */
export function fieldChanges(before: GraphQLSchema, after: GraphQLSchema): FieldChange[] {
  const changes: FieldChange[] = [];
  const add = (field: string, kind: ChangeKind, description: string) =>
    changes.push({ field, kind, description });
  /** Fields (and fields with an argument) whose named type is `typeName`, in the old schema. */
  const users = (typeName: string, viaArguments: boolean): string[] => {
    const found: string[] = [];
    for (const type of Object.values(before.getTypeMap())) {
      for (const field of Object.values(fieldsOf(type) ?? {})) {
        const hit = viaArguments
          ? field.args.some((arg) => getNamedType(arg.type).name === typeName)
          : getNamedType(field.type).name === typeName;
        if (hit) found.push(`${type.name}.${field.name}`);
      }
    }
    return found;
  };

  for (const old of Object.values(before.getTypeMap())) {
    if (old.name.startsWith("__")) continue;
    const next = after.getType(old.name);
    const oldFields = fieldsOf(old);
    if (oldFields) {
      const nextFields = fieldsOf(next);
      for (const field of Object.values(oldFields)) {
        const coordinate = `${old.name}.${field.name}`;
        const now = nextFields?.[field.name];
        if (!nextFields) add(coordinate, "TYPE_REMOVED", `type ${old.name} was removed`);
        else if (!now) add(coordinate, "FIELD_REMOVED", `${coordinate} was removed`);
        else compareField(coordinate, field, now, add);
      }
    } else if (isEnumType(old) && isEnumType(next)) {
      // A type gone altogether shows in the fields that returned it; only shrinking is listed here.
      const values = new Set(next.getValues().map((value) => value.name));
      const removed = old.getValues().filter((value) => !values.has(value.name));
      for (const value of removed) {
        for (const field of [...users(old.name, false), ...users(old.name, true)]) {
          add(field, "ENUM_VALUE_REMOVED", `${old.name}.${value.name} was removed`);
        }
      }
    } else if (isUnionType(old) && isUnionType(next)) {
      const members = new Set(next.getTypes().map((type) => type.name));
      for (const member of old.getTypes().filter((type) => !members.has(type.name))) {
        for (const field of users(old.name, false)) {
          add(field, "UNION_MEMBER_REMOVED", `${member.name} was removed from union ${old.name}`);
        }
      }
    } else if (isInputObjectType(old) && isInputObjectType(next)) {
      const nextFields = next.getFields();
      const broken = Object.values(old.getFields())
        .filter((field) => !nextFields[field.name] || !safeInput(field.type, nextFields[field.name].type))
        .map((field) => `${old.name}.${field.name} was removed or changed type`);
      const added = Object.values(nextFields)
        .filter((field) => !old.getFields()[field.name] && isNonNullType(field.type))
        .filter((field) => field.defaultValue === undefined)
        .map((field) => `required input field ${old.name}.${field.name} was added`);
      for (const description of [...broken, ...added]) {
        for (const field of users(old.name, true)) add(field, "ARGUMENT_TYPE_CHANGED", description);
      }
    }
  }
  return changes;
}

function compareField(
  coordinate: string,
  before: GraphQLField<unknown, unknown>,
  after: GraphQLField<unknown, unknown>,
  add: (field: string, kind: ChangeKind, description: string) => void,
): void {
  if (!safeOutput(before.type, after.type)) {
    add(
      coordinate,
      "FIELD_TYPE_CHANGED",
      `${coordinate} changed type from ${String(before.type)} to ${String(after.type)}`,
    );
  }
  for (const arg of before.args) {
    const now = after.args.find((candidate) => candidate.name === arg.name);
    if (!now) add(coordinate, "ARGUMENT_REMOVED", `argument ${arg.name} of ${coordinate} was removed`);
    else if (!safeInput(arg.type, now.type)) {
      add(
        coordinate,
        "ARGUMENT_TYPE_CHANGED",
        `argument ${arg.name} of ${coordinate} changed type from ${String(arg.type)} to ${String(now.type)}`,
      );
    }
  }
  for (const arg of after.args) {
    if (!before.args.some((candidate) => candidate.name === arg.name) && required(arg)) {
      add(coordinate, "REQUIRED_ARGUMENT_ADDED", `required argument ${arg.name} was added to ${coordinate}`);
    }
  }
}
