import { Refusal } from "@onecert/subgraph-kit";

/** How many edits away a known code may be to be suggested for an unknown one. */
export const SUGGESTION_DISTANCE = 2;

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known code closest to `code`, when one is at most SUGGESTION_DISTANCE edits away. */
export function closestDepartment(code: string, known: Iterable<string>): string | undefined {
  let best: { code: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(code, candidate);
    if (distance <= SUGGESTION_DISTANCE && (!best || distance < best.distance))
      best = { code: candidate, distance };
  }
  return best?.code;
}

/** The message naming an unknown department and, when one is close, the likely intended one. */
export function unknownDepartmentMessage(code: string, known: Iterable<string>): string {
  const suggestion = closestDepartment(code, known);
  return (
    `department "${code}" is not in the departments directory` +
    (suggestion ? ` (did you mean "${suggestion}"?)` : "; add it first (onecert department add)")
  );
}

/** UNKNOWN_DEPARTMENT, with `{ department, suggestion }` as details for programs. */
export function unknownDepartment(code: string, known: Iterable<string>): Refusal {
  const list = [...known];
  return new Refusal("UNKNOWN_DEPARTMENT", unknownDepartmentMessage(code, list), {
    department: code,
    suggestion: closestDepartment(code, list) ?? null,
  });
}
