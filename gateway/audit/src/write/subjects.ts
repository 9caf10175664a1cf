import { isSubject } from "@onecert/subgraph-kit";

export { collectSubjects, isSubject } from "@onecert/subgraph-kit";

/**
 * Walks a GraphQL result once: the response path of every non-null value (list indices dropped)
 * goes to `fields`, every subject identifier among the values to `subjects`.
 */
export function collectResult(
  data: unknown,
  into: { subjects: Set<string>; fields: Set<string> },
  limits: { maxSubjects: number; maxFields: number },
): void {
  const walk = (value: unknown, path: string) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, path);
      return;
    }
    if (typeof value === "object") {
      for (const key in value as Record<string, unknown>) {
        if (key === "__typename") continue;
        walk((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      }
      return;
    }
    if (path && into.fields.size < limits.maxFields) into.fields.add(path);
    if (typeof value === "string" && into.subjects.size < limits.maxSubjects && isSubject(value)) {
      into.subjects.add(value);
    }
  };
  walk(data, "");
}

/** Subject identifiers in a URL's path segments and query values (an auditor looking a person up). */
export function subjectsInUrl(url: string, into: Set<string>): void {
  // Most requests are POST /graphql: no segment or query value can be an identifier.
  if (url === "/graphql" || url === "/") return;
  const parsed = new URL(url, "http://localhost");
  const parts = [...parsed.pathname.split("/"), ...parsed.searchParams.values()];
  for (const part of parts) {
    let text = part;
    try {
      text = decodeURIComponent(part);
    } catch {
      // Not percent-encoded text: use it as it is.
    }
    if (isSubject(text)) into.add(text);
  }
}
