import type { GraphQLFormattedError } from "graphql";
import type {
  CompiledExpression,
  CheckItem,
  ProjectedItem,
  Reason,
  ReasonLanguage,
} from "@onecert/catalogue";
import { chooseReason, systemReason } from "./reasons";

export type VerdictStatusValue = "SATISFIED" | "NOT_SATISFIED" | "UNDETERMINED";

export interface Outcome {
  status: VerdictStatusValue;
  /** The reason in English: what commitments and messages keep. */
  reason: string;
  reasonCode: string;
  reasonParams: Record<string, unknown>;
  reasonText: Readonly<Record<ReasonLanguage, string>>;
  evidence: Record<string, unknown>;
}

const outcome = (
  status: VerdictStatusValue,
  reason: Reason,
  evidence: Record<string, unknown> = {},
): Outcome => ({
  status,
  reason: reason.text.en,
  reasonCode: reason.code,
  reasonParams: reason.params,
  reasonText: reason.text,
  evidence,
});

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
    // No error explains the null: the registry answered, and holds no such ID number or USCC.
    return outcome(
      "UNDETERMINED",
      unavailable ?? systemReason("SUBJECT_NOT_FOUND", { registry: certificate.registries[0] }),
    );
  }
  const missing = certificate.required.filter((path) => valueAt(subject, path) == null);
  if (missing.length > 0) {
    const fields = missing.map((path) => path.join("."));
    return outcome("UNDETERMINED", unavailable ?? systemReason("DATA_MISSING", { fields }));
  }
  // Absent rather than null: JSONata then counts a missing list as empty, not as one value.
  const input = withoutNulls(subject);
  const bindings = { params: item.parameters };
  const evidence: Record<string, unknown> = {};
  for (const [name, expression] of certificate.evidence) {
    evidence[name] = await safely(expression, input, bindings, null);
  }
  const verdict = await safely(certificate.rule, input, bindings, null);
  if (verdict === true)
    return outcome("SATISFIED", await chooseReason(certificate.reasons.satisfied, input, bindings), evidence);
  if (verdict !== false) return outcome("UNDETERMINED", unavailable ?? systemReason("NO_VERDICT"), evidence);
  if (unavailable) return outcome("UNDETERMINED", unavailable, evidence);
  const reason = await chooseReason(certificate.reasons.notSatisfied, input, bindings);
  return outcome("NOT_SATISFIED", reason, evidence);
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

function describe(errors: readonly GraphQLFormattedError[]): Reason | null {
  if (errors.length === 0) return null;
  const services = [...new Set(errors.map((error) => error.extensions?.serviceName).filter(Boolean))];
  if (services.length > 0) return systemReason("REGISTRY_UNAVAILABLE", { registries: services });
  return systemReason("DATA_UNREADABLE", { message: errors[0].message });
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
