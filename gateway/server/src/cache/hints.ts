import { supergraphMembers } from "@onecert/subgraph-kit";
import { Kind, parse, type ConstDirectiveNode, type TypeNode } from "graphql";
import { digest } from "./keys";

/** How long data may be served from cache, and whether callers may share it. */
export interface CachePolicy {
  /** Seconds; Infinity means "no hint seen yet" and counts as not cacheable at the end. */
  maxAge: number;
  scope: "PUBLIC" | "PRIVATE";
}

/** The policy before any hint: restricts nothing. */
export const UNRESTRICTED: CachePolicy = { maxAge: Infinity, scope: "PUBLIC" };
/** Not cacheable. */
export const UNCACHEABLE: CachePolicy = { maxAge: 0, scope: "PUBLIC" };

/** The most restrictive of two policies: the shorter age, PRIVATE if either is. */
export function restrict(a: CachePolicy, b: CachePolicy): CachePolicy {
  return { maxAge: Math.min(a.maxAge, b.maxAge), scope: a.scope === "PRIVATE" ? a.scope : b.scope };
}

/** Seconds an entry under `policy` may live: 0 when there is no finite, positive hint. */
export const ttlOf = (policy: CachePolicy): number => (Number.isFinite(policy.maxAge) ? policy.maxAge : 0);

interface FieldInfo {
  hint?: CachePolicy;
  returnType: string;
}

interface TypeInfo {
  kind: "object" | "interface" | "union" | "leaf";
  hint?: CachePolicy;
  fields: Map<string, FieldInfo>;
  members: string[];
  /** Key fields by subgraph name, from @join__type(key:). */
  keys: Map<string, string[]>;
}

/** The @cacheControl hints of a composed supergraph, with what the selection walkers need. */
export interface HintIndex {
  /** Digest of the supergraph: part of every key, so a new schema starts afresh. */
  readonly id: string;
  /** A type's own policy: its hints, else the configured default, else (abstract) its members'. */
  typePolicy(type: string): CachePolicy | undefined;
  /** The policy a field contributes (see selectionPolicy); UNCACHEABLE for unknown fields. */
  fieldPolicy(parent: string, field: string): CachePolicy;
  returnType(parent: string, field: string): string | undefined;
  isComposite(type: string): boolean;
  kindOf(type: string): "object" | "interface" | "union" | "leaf" | undefined;
  /** The object types an abstract type stands for (union members); empty for others. */
  possibleTypes(type: string): readonly string[];
  /** Key fields of an entity type in one subgraph (any subgraph when omitted); null when not an entity. */
  keyFields(type: string, subgraph?: string): readonly string[] | null;
}

const ROOTS = new Set(["Query", "Mutation", "Subscription"]);

function hintOf(directives: readonly ConstDirectiveNode[] | undefined): CachePolicy | undefined {
  let policy: CachePolicy | undefined;
  for (const directive of directives ?? []) {
    if (directive.name.value !== "cacheControl") continue;
    let maxAge = 0;
    let scope: CachePolicy["scope"] = "PUBLIC";
    for (const arg of directive.arguments ?? []) {
      if (arg.name.value === "maxAge" && arg.value.kind === Kind.INT) maxAge = Number(arg.value.value);
      if (arg.name.value === "scope" && "value" in arg.value && arg.value.value === "PRIVATE")
        scope = "PRIVATE";
    }
    policy = restrict(policy ?? UNRESTRICTED, { maxAge, scope });
  }
  return policy;
}

const namedType = (type: TypeNode): string =>
  type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);

const argString = (directive: ConstDirectiveNode, name: string): string | undefined => {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  return arg && (arg.value.kind === Kind.STRING || arg.value.kind === Kind.ENUM)
    ? arg.value.value
    : undefined;
};

/**
 * Reads every @cacheControl hint out of a composed supergraph (repeated hints from several
 * subgraphs: the most restrictive), and `defaults` (seconds per type name) for types without one.
 */
export function buildHintIndex(
  supergraphSdl: string,
  defaults: Readonly<Record<string, number>> = {},
): HintIndex {
  const document = parse(supergraphSdl);
  const types = new Map<string, TypeInfo>();
  const graphs = new Map(supergraphMembers(document).map((member) => [member.graph, member.name]));
  for (const definition of document.definitions) {
    if (!("name" in definition) || !definition.name) continue;
    const name = definition.name.value;
    const info: TypeInfo = { kind: "leaf", fields: new Map(), members: [], keys: new Map() };
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.INTERFACE_TYPE_DEFINITION
    ) {
      info.kind = definition.kind === Kind.OBJECT_TYPE_DEFINITION ? "object" : "interface";
      for (const field of definition.fields ?? []) {
        info.fields.set(field.name.value, {
          hint: hintOf(field.directives),
          returnType: namedType(field.type),
        });
      }
    } else if (definition.kind === Kind.UNION_TYPE_DEFINITION) {
      info.kind = "union";
      info.members = (definition.types ?? []).map((t) => t.name.value);
    } else if (
      definition.kind !== Kind.ENUM_TYPE_DEFINITION &&
      definition.kind !== Kind.SCALAR_TYPE_DEFINITION
    ) {
      continue;
    }
    if ("directives" in definition) {
      info.hint = hintOf(definition.directives);
      for (const join of definition.directives?.filter((d) => d.name.value === "join__type") ?? []) {
        const key = argString(join, "key");
        const graph = argString(join, "graph");
        // Nested key selections ("a { b }") are not read: such types count as unkeyed.
        if (key && graph && /^[\w\s]+$/.test(key))
          info.keys.set(graphs.get(graph) ?? graph, key.trim().split(/\s+/));
      }
    }
    types.set(name, info);
  }

  const typePolicies = new Map<string, CachePolicy | undefined>();
  const typePolicy = (name: string, seen = new Set<string>()): CachePolicy | undefined => {
    if (typePolicies.has(name)) return typePolicies.get(name);
    const info = types.get(name);
    let policy =
      info?.hint ??
      (defaults[name] !== undefined ? { maxAge: defaults[name], scope: "PUBLIC" as const } : undefined);
    if (!policy && info?.kind === "union" && !seen.has(name)) {
      // A union without a hint is as fresh as its least fresh member (each object is one of them).
      seen.add(name);
      const members = info.members.map((member) => typePolicy(member, seen));
      if (members.length > 0 && members.every(Boolean)) policy = members.reduce((a, b) => restrict(a!, b!));
    }
    typePolicies.set(name, policy);
    return policy;
  };

  return {
    id: digest(supergraphSdl),
    typePolicy,
    fieldPolicy(parent, field) {
      const info = types.get(parent)?.fields.get(field);
      if (!info) return UNCACHEABLE;
      const target = types.get(info.returnType);
      const composite = !!target && target.kind !== "leaf";
      // A hinted type is as fresh as it says whatever the field says: the strictest hint wins.
      const fromType = composite ? typePolicy(info.returnType) : undefined;
      if (info.hint && fromType) return restrict(info.hint, fromType);
      if (info.hint ?? fromType) return (info.hint ?? fromType)!;
      // Without any hint, objects and root fields are not cached; scalars take their parent's.
      return composite || ROOTS.has(parent) ? UNCACHEABLE : UNRESTRICTED;
    },
    returnType: (parent, field) => types.get(parent)?.fields.get(field)?.returnType,
    isComposite: (type) => {
      const kind = types.get(type)?.kind;
      return kind === "object" || kind === "interface" || kind === "union";
    },
    kindOf: (type) => types.get(type)?.kind,
    possibleTypes: (type) => types.get(type)?.members ?? [],
    keyFields(type, subgraph) {
      const keys = types.get(type)?.keys;
      if (!keys || keys.size === 0) return null;
      return (subgraph ? keys.get(subgraph) : undefined) ?? keys.values().next().value ?? null;
    },
  };
}
