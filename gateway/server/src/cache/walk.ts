import { Kind, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from "graphql";
import { restrict, UNRESTRICTED, type CachePolicy, type HintIndex } from "./hints";
import { entityTag, typeTag, unkeyedTag } from "./keys";

export type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/** Calls `visit` for every field selected on `parent`, through inline fragments and spreads, with the type it is selected on. */
export function eachField(
  selectionSet: SelectionSetNode,
  parent: string,
  fragments: Fragments,
  visit: (field: FieldNode, on: string) => void,
  seen: Set<string> = new Set(),
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) visit(selection, parent);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      eachField(
        selection.selectionSet,
        selection.typeCondition?.name.value ?? parent,
        fragments,
        visit,
        seen,
      );
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue;
      seen.add(fragment.name.value);
      eachField(fragment.selectionSet, fragment.typeCondition.name.value, fragments, visit, seen);
      seen.delete(fragment.name.value);
    }
  }
}

/**
 * The most restrictive policy of everything `selectionSet` reads from `parent` (a field's own
 * hint, its type's, or: objects and root fields without one are not cacheable, scalars take
 * their parent's). Introspection fields (__typename) restrict nothing.
 */
export function selectionPolicy(
  index: HintIndex,
  parent: string,
  selectionSet: SelectionSetNode,
  fragments: Fragments,
  start: CachePolicy = UNRESTRICTED,
): CachePolicy {
  let policy = start;
  eachField(selectionSet, parent, fragments, (field, on) => {
    const name = field.name.value;
    if (name.startsWith("__")) return;
    policy = restrict(policy, index.fieldPolicy(on, name));
    const returnType = index.returnType(on, name);
    if (field.selectionSet && returnType) {
      policy = selectionPolicy(index, returnType, field.selectionSet, fragments, policy);
    }
  });
  return policy;
}

export interface TagWalk {
  index: HintIndex;
  /** The subgraph the data came from: its @key fields identify entities. */
  subgraph: string;
  fragments: Fragments;
  out: Set<string>;
}

/**
 * Tags every object in `value` (data selected by `selectionSet` on `type`): "Type:*" always, and
 * "Type:<key>" for an entity whose key fields are in the data, else "Type:?" (the entry then drops
 * on any change of that type). `self` false skips the object itself (its tag is known elsewhere).
 */
export function collectTags(
  walk: TagWalk,
  type: string,
  selectionSet: SelectionSetNode,
  value: unknown,
  self = true,
): void {
  if (value === null || value === undefined || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) collectTags(walk, type, selectionSet, item, self);
    return;
  }
  const record = value as Record<string, unknown>;
  const actual = typeof record.__typename === "string" ? record.__typename : type;
  const possible = walk.index.possibleTypes(actual);
  if (self) for (const candidate of possible.length ? possible : [actual]) tagObject(walk, candidate, record);
  eachField(selectionSet, actual, walk.fragments, (field, on) => {
    // A fragment on another object type (another member of a union) does not apply to this object.
    const kindOf = (name: string) => walk.index.kindOf(name);
    if (on !== actual && kindOf(on) === "object" && kindOf(actual) === "object") return;
    const child = record[field.alias?.value ?? field.name.value];
    const returnType = walk.index.returnType(on, field.name.value);
    if (!field.selectionSet || !returnType) return;
    // Selected, even when null or empty: dropping a whole type drops what would now hold one.
    for (const member of [returnType, ...walk.index.possibleTypes(returnType)]) walk.out.add(typeTag(member));
    collectTags(walk, returnType, field.selectionSet, child);
  });
}

function tagObject(walk: TagWalk, type: string, record: Record<string, unknown>): void {
  walk.out.add(typeTag(type));
  const keys = walk.index.keyFields(type, walk.subgraph) ?? walk.index.keyFields(type);
  const values = keys?.map((key) => record[key]);
  if (values && values.every((v) => typeof v === "string" || typeof v === "number")) {
    walk.out.add(entityTag(type, values.join("|")));
  } else {
    walk.out.add(unkeyedTag(type));
  }
}

/** The key of an entity from its representation (`{__typename, idNumber}`), or null when incomplete. */
export function representationKey(
  index: HintIndex,
  subgraph: string,
  representation: Record<string, unknown>,
): string | null {
  const type = representation.__typename;
  if (typeof type !== "string") return null;
  const keys = index.keyFields(type, subgraph) ?? index.keyFields(type);
  const values = keys?.map((key) => representation[key]);
  if (!values || !values.every((v) => typeof v === "string" || typeof v === "number")) return null;
  return values.join("|");
}
