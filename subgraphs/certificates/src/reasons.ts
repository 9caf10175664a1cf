import {
  reasonFrom,
  type CompiledExpression,
  type Reason,
  type ReasonCase,
  type ReasonTemplate,
} from "@onecert/catalogue";

/**
 * The reasons of UNDETERMINED verdicts that no certificate type writes: the data could not be
 * had. Defined here once so that every type gives the same code and text for the same cause.
 */
export const SYSTEM_REASONS = {
  SUBJECT_NOT_FOUND: {
    zh: "{registry} 登记库中没有该主体的记录",
    en: "the {registry} registry has no record of this subject",
  },
  DATA_MISSING: {
    zh: "缺少数据：{fields}",
    en: "no data for {fields}",
  },
  REGISTRY_UNAVAILABLE: {
    zh: "{registries} 登记库未响应，现有数据无法判定",
    en: "no answer from the {registries} registry: the data cannot decide",
  },
  DATA_UNREADABLE: {
    zh: "数据无法读取：{message}",
    en: "the data could not be read: {message}",
  },
  NO_VERDICT: {
    zh: "现有数据无法得出结论",
    en: "the data gives no verdict",
  },
} as const satisfies Record<string, Omit<ReasonTemplate, "code">>;

export type SystemReasonCode = keyof typeof SYSTEM_REASONS;

/** The system templates with their codes, as the API lists them. */
export const SYSTEM_REASON_TEMPLATES: readonly ReasonTemplate[] = Object.entries(SYSTEM_REASONS).map(
  ([code, texts]) => ({ code, ...texts }),
);

export function systemReason(code: SystemReasonCode, params: Record<string, unknown> = {}): Reason {
  return reasonFrom({ code, ...SYSTEM_REASONS[code] }, params);
}

/** JSONata's truthiness ($boolean), so a `when` reads as the ternary it replaces did. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(truthy);
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value.length > 0;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "boolean") return value;
  return typeof value === "object" && Object.keys(value).length > 0;
}

async function attempt(
  expression: CompiledExpression,
  input: unknown,
  bindings: Record<string, unknown>,
): Promise<unknown> {
  try {
    return await expression.evaluate(input, bindings);
  } catch {
    return null;
  }
}

/**
 * The reason of the first case whose `when` holds. The catalogue guarantees the last case has
 * none, so there is always one; a `when` that fails to evaluate counts as not holding.
 */
export async function chooseReason(
  cases: readonly ReasonCase[],
  input: unknown,
  bindings: Record<string, unknown>,
): Promise<Reason> {
  for (const [index, entry] of cases.entries()) {
    const last = index === cases.length - 1;
    if (!last && entry.when && !truthy(await attempt(entry.when, input, bindings))) continue;
    const params: Record<string, unknown> = {};
    for (const [name, expression] of entry.params) params[name] = await attempt(expression, input, bindings);
    return reasonFrom(entry, params);
  }
  return systemReason("NO_VERDICT");
}
