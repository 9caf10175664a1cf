import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLUnionType,
} from "graphql";

/** A small seeded PRNG (mulberry32): the same seed gives the same documents. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Operation {
  query: string;
  variables: Record<string, unknown>;
}

/** Values to draw scalar arguments from, valid and invalid. */
export type ScalarPool = Record<string, unknown[]>;

const JUNK = [
  "{",
  "query { person(idNumber: ) }",
  "}}}",
  "query Q($a: ) { a }",
  "mutation { x }",
  "\u0000",
  "{ ...F }",
];

/**
 * Random operations over a schema, valid and invalid: random root fields, arguments as literals
 * or variables from `pool`, nested selections with aliases, inline and named fragments, plus
 * some junk documents, unknown fields and wrongly typed arguments.
 */
export function randomOperation(
  schema: GraphQLSchema,
  pool: ScalarPool,
  random: () => number,
  /** Fields to favour (e.g. those a matter declares), so that some requests get data back. */
  prefer?: (typeName: string, fieldName: string) => boolean,
): Operation {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  if (chance(0.03)) return { query: pick(JUNK), variables: {} };

  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const fragments: string[] = [];
  let counter = 0;

  const value = (type: GraphQLInputType): unknown => {
    if (isNonNullType(type)) return value(type.ofType);
    if (isListType(type)) return Array.from({ length: Math.floor(random() * 4) }, () => value(type.ofType));
    if (isEnumType(type)) return chance(0.95) ? pick(type.getValues()).value : "NOT_A_VALUE";
    if (isInputObjectType(type)) {
      return Object.fromEntries(
        Object.entries(type.getFields()).map(([name, field]) => [name, value(field.type)]),
      );
    }
    const name = isScalarType(type) ? type.name : "String";
    const candidates = pool[name] ?? [];
    if (candidates.length && chance(0.9)) return pick(candidates);
    return pick(["", "x", 12, null, "110105194912310021", "2026-13-01", true]);
  };
  const literal = (v: unknown, type: GraphQLInputType): string => {
    const named = getNamedType(type);
    if (Array.isArray(v)) return `[${v.map((item) => literal(item, type)).join(", ")}]`;
    if (isEnumType(named) && typeof v === "string") return v;
    if (v && typeof v === "object") {
      return `{ ${Object.entries(v)
        .map(([k, x]) => `${k}: ${JSON.stringify(x)}`)
        .join(", ")} }`;
    }
    return JSON.stringify(v ?? null);
  };
  const argument = (arg: GraphQLArgument): string | null => {
    if (!isNonNullType(arg.type) && chance(0.5)) return null;
    const v = value(arg.type);
    if (chance(0.5)) return `${arg.name}: ${literal(v, arg.type)}`;
    const name = `v${counter++}`;
    variables[name] = v;
    definitions.push(`$${name}: ${String(arg.type)}`);
    return `${arg.name}: $${name}`;
  };
  const hasFields = (type: unknown): type is GraphQLObjectType | GraphQLUnionType | GraphQLInterfaceType =>
    isObjectType(type) || isUnionType(type) || isInterfaceType(type);
  const selection = (
    type: GraphQLObjectType | GraphQLUnionType | GraphQLInterfaceType,
    depth: number,
  ): string => {
    if (isInterfaceType(type)) {
      // The interface's own fields, and some of each implementation's through inline fragments.
      return [
        fieldSelection(type, depth),
        ...schema
          .getPossibleTypes(type)
          .filter(() => chance(0.5))
          .map((object) => `... on ${object.name} { ${fieldSelection(object, depth)} }`),
        ...(chance(0.5) ? ["__typename"] : []),
      ].join(" ");
    }
    if (isUnionType(type)) {
      return type
        .getTypes()
        .filter(() => chance(0.7))
        .map((member) => `... on ${member.name} { ${selection(member, depth)} }`)
        .concat("__typename")
        .join(" ");
    }
    return fieldSelection(type, depth);
  };
  const fieldSelection = (type: GraphQLObjectType | GraphQLInterfaceType, depth: number): string => {
    const all = Object.values(type.getFields());
    const preferred = prefer ? all.filter((field) => prefer(type.name, field.name)) : [];
    const fields = preferred.length && chance(0.9) ? preferred : all;
    const chosen = fields.filter(() => chance(Math.min(0.9, 3 / fields.length)));
    if (chosen.length === 0) chosen.push(pick(fields));
    const parts = chosen.map((field) => {
      const alias = chance(0.15) ? `a${counter++}: ` : "";
      const args = field.args.map(argument).filter((a): a is string => a !== null);
      const named = getNamedType(field.type);
      let sub = "";
      if (hasFields(named)) {
        if (depth >= 4) return "__typename";
        const inner = selection(named, depth + 1);
        if (isObjectType(named) && chance(0.1)) {
          const fragment = `F${counter++}`;
          fragments.push(`fragment ${fragment} on ${named.name} { ${inner} }`);
          sub = ` { ...${fragment} }`;
        } else sub = ` { ${inner} }`;
      }
      return `${alias}${field.name}${args.length ? `(${args.join(", ")})` : ""}${sub}`;
    });
    if (chance(0.05)) parts.push("notAField");
    if (chance(0.1)) parts.push("__typename");
    return parts.join(" ");
  };

  const query = schema.getQueryType()!;
  const allRoots = Object.values(query.getFields());
  const preferredRoots = prefer ? allRoots.filter((field) => prefer(query.name, field.name)) : [];
  const rootChoices = preferredRoots.length && chance(0.9) ? preferredRoots : allRoots;
  const roots = rootChoices.filter(() => chance(0.35));
  if (roots.length === 0) roots.push(pick(rootChoices));
  const body = roots
    .map((field) => {
      const args = field.args.map(argument).filter((a): a is string => a !== null);
      const named = getNamedType(field.type);
      const sub = hasFields(named) ? ` { ${selection(named, 1)} }` : "";
      return `${chance(0.2) ? `r${counter++}: ` : ""}${field.name}${args.length ? `(${args.join(", ")})` : ""}${sub}`;
    })
    .join(" ");
  const header = definitions.length ? `query Fuzz(${definitions.join(", ")})` : "query Fuzz";
  return { query: [`${header} { ${body} }`, ...fragments].join("\n"), variables };
}
