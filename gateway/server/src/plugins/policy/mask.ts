import type { Sensitivity } from "@onecert/subgraph-kit";
import { maskValue } from "@onecert/access";
import type { Shape, MaskingRules } from "@onecert/access";

interface MaskPart {
  mask?: Sensitivity;
  children?: MaskTree;
}

/** Where in a response values must be masked: per response key, per parent type and merged. */
export type MaskTree = Map<string, { any: MaskPart; byType: Map<string, MaskPart> }>;

function mergeParts(a: MaskPart | undefined, b: MaskPart): MaskPart {
  if (!a) return b;
  const children = a.children && b.children ? mergeTrees(a.children, b.children) : (a.children ?? b.children);
  return { mask: a.mask ?? b.mask, children };
}

function mergeTrees(a: MaskTree, b: MaskTree): MaskTree {
  const merged: MaskTree = new Map(a);
  for (const [key, node] of b) {
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, node);
      continue;
    }
    const byType = new Map(existing.byType);
    for (const [type, part] of node.byType) byType.set(type, mergeParts(byType.get(type), part));
    merged.set(key, { any: mergeParts(existing.any, node.any), byType });
  }
  return merged;
}

/**
 * Derives the mask tree of one request from the operation's shape and the per-field verdicts.
 * Under an abstract type, an object that carries __typename is masked by the fields selected on
 * its own type and on every interface or union it belongs to (`concreteTypes` names the object
 * types a selection's parent type stands for); one without __typename by every field that can
 * land on the key, which errs on the safe side.
 */
export function buildMaskTree(
  shape: Shape,
  maskOf: (typeName: string, fieldName: string) => Sensitivity | undefined,
  concreteTypes: (typeName: string) => readonly string[] = (typeName) => [typeName],
): MaskTree | undefined {
  const tree: MaskTree = new Map();
  for (const [key, entries] of shape) {
    let any: MaskPart | undefined;
    const byType = new Map<string, MaskPart>();
    for (const entry of entries) {
      const part: MaskPart = entry.children
        ? { children: buildMaskTree(entry.children, maskOf, concreteTypes) }
        : { mask: maskOf(entry.typeName, entry.fieldName) };
      if (!part.mask && !part.children) continue;
      for (const typeName of new Set([entry.typeName, ...concreteTypes(entry.typeName)])) {
        byType.set(typeName, mergeParts(byType.get(typeName), part));
      }
      any = mergeParts(any, part);
    }
    if (any) tree.set(key, { any, byType });
  }
  return tree.size ? tree : undefined;
}

/** Masks the response data in place. */
export function applyMask(data: unknown, tree: MaskTree, rules: MaskingRules): void {
  if (Array.isArray(data)) {
    for (const item of data) applyMask(item, tree, rules);
    return;
  }
  if (!data || typeof data !== "object") return;
  const record = data as Record<string, unknown>;
  const typeName = typeof record.__typename === "string" ? record.__typename : undefined;
  for (const [key, node] of tree) {
    const value = record[key];
    if (value === null || value === undefined) continue;
    const part =
      typeName && node.byType.has(typeName) ? node.byType.get(typeName)! : typeName ? undefined : node.any;
    if (!part) continue;
    if (part.mask) record[key] = maskLeaf(value, part.mask, rules);
    else if (part.children) applyMask(value, part.children, rules);
  }
}

function maskLeaf(value: unknown, sensitivity: Sensitivity, rules: MaskingRules): unknown {
  if (typeof value === "string" || typeof value === "number") return maskValue(rules, sensitivity, value);
  if (Array.isArray(value)) return value.map((item) => maskLeaf(item, sensitivity, rules));
  return value;
}
