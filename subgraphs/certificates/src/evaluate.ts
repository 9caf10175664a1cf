import type { GraphQLFormattedError } from "graphql";
import type { CompiledExpression, CheckItem, ProjectedItem } from "@onecert/catalogue";

export type VerdictStatusValue = "SATISFIED" | "NOT_SATISFIED" | "UNDETERMINED";

export interface Outcome {
  status: VerdictStatusValue;
  reason: string;
  evidence: Record<string, unknown>;
}

/**
 * Decides one item from what its own operation returned. Missing data never gives
 * NOT_SATISFIED: a null at a required path, or a false rule while a registry it reads reported
 * an error, is UNDETERMINED. A rule that holds on the data present (an "either ... or" rule
 * whose other part is missing) is SATISFIED.
 */
export async function evaluateItem(
  item: CheckItem,
  projected: ProjectedItem,
  errors: readonly GraphQLFormattedError[],
): Promise<Outcome> {
  const { certificate } = item;
  const relevant = errors.filter((error) => touches(error, item, projected));
  const unavailable = describe(relevant);
  const subject = projected.subject;
  if (!subject) {
    return undetermined(
      unavailable ?? `the ${certificate.registries[0]} registry has no record of this subject`,
    );
  }
  const missing = certificate.required.filter((path) => valueAt(subject, path) == null);
  if (missing.length > 0) {
    return undetermined(unavailable ?? `no data for ${missing.map((path) => path.join(".")).join(", ")}`);
  }
  // Absent rather than null: JSONata then counts a missing list as empty, not as one value.
  const input = withoutNulls(subject);
  const bindings = { params: item.parameters };
  const evidence: Record<string, unknown> = {};
  for (const [name, expression] of certificate.evidence) {
    evidence[name] = await safely(expression, input, bindings, null);
  }
  const verdict = await safely(certificate.rule, input, bindings, null);
  if (verdict === true) {
    const reason = await safely(certificate.reasons.satisfied, input, bindings, "the rule holds");
    return { status: "SATISFIED", reason: String(reason), evidence };
  }
  if (verdict !== false)
    return { status: "UNDETERMINED", reason: unavailable ?? "the data gives no verdict", evidence };
  if (unavailable) return { status: "UNDETERMINED", reason: unavailable, evidence };
  const reason = await safely(certificate.reasons.notSatisfied, input, bindings, "the rule does not hold");
  return { status: "NOT_SATISFIED", reason: String(reason), evidence };

  function undetermined(reason: string): Outcome {
    return { status: "UNDETERMINED", reason, evidence: {} };
  }
}

/** Whether an error concerns this item: by its path when it has one, else by its registry. */
function touches(error: GraphQLFormattedError, item: CheckItem, projected: ProjectedItem): boolean {
  const path = error.path;
  if (path && path.length > 0) {
    if (!projected.path) return path[0] === projected.root;
    if (!projected.path.every((step, index) => path[index] === step)) return false;
    const next = path[projected.path.length];
    return next === undefined || projected.keys.has(String(next));
  }
  const service = error.extensions?.serviceName;
  return typeof service === "string" && item.certificate.registries.includes(service);
}

function describe(errors: readonly GraphQLFormattedError[]): string | null {
  if (errors.length === 0) return null;
  const services = [...new Set(errors.map((error) => error.extensions?.serviceName).filter(Boolean))];
  if (services.length > 0)
    return `no answer from the ${services.join(", ")} registry: the data cannot decide`;
  return `the data could not be read: ${errors[0].message}`;
}

async function safely(
  expression: CompiledExpression,
  input: unknown,
  bindings: Record<string, unknown>,
  fallback: unknown,
): Promise<unknown> {
  try {
    return await expression.evaluate(input, bindings);
  } catch {
    return fallback;
  }
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current)) return current;
    if (!current || typeof current !== "object") return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, inner]) => inner !== null);
  return Object.fromEntries(entries.map(([key, inner]) => [key, withoutNulls(inner)]));
}
