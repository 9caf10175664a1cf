import { SUBJECT_ROOTS, type CheckItem } from "./model";

/** Response key of a certificate's operation → key in the merged response (and below). */
export type Mapping = Map<string, { key: string; children: Mapping | null }>;

/** Finds the subject's object in a singular or plural root result. */
export function locate(
  value: unknown,
  item: CheckItem,
  keys: readonly string[],
): { value: Record<string, unknown>; index: number | null } | null {
  if (!Array.isArray(value)) {
    return value && typeof value === "object"
      ? { value: value as Record<string, unknown>, index: null }
      : null;
  }
  const keyField = SUBJECT_ROOTS[item.subjectKind].key;
  const list = value as (Record<string, unknown> | null)[];
  const exact = list.findIndex((element) => element?.[keyField] === item.subjectKey);
  if (exact >= 0) return { value: list[exact]!, index: exact };
  // The registry keeps the requested order and leaves out unknown keys: a full list lines up.
  const position = keys.indexOf(item.subjectKey);
  if (list.length === keys.length && list[position]) return { value: list[position], index: position };
  // Otherwise match a masked key (110105********002X) when exactly one subject fits it.
  const fits = (masked: unknown, key: string) =>
    typeof masked === "string" &&
    masked.length === key.length &&
    [...masked].every((char, i) => char === "*" || char === key[i]);
  const candidates = list.flatMap((element, index) =>
    element && fits(element[keyField], item.subjectKey) ? [index] : [],
  );
  if (candidates.length !== 1) return null;
  const owner = keys.filter((key) => fits(list[candidates[0]]![keyField], key));
  return owner.length === 1 ? { value: list[candidates[0]]!, index: candidates[0] } : null;
}

export function project(value: unknown, mapping: Mapping): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((element) => project(element, mapping));
  if (typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, entry] of mapping) {
    const inner = source[entry.key];
    result[key] = entry.children ? project(inner, entry.children) : (inner ?? null);
  }
  return result;
}
