import {
  fillTemplate,
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
    zh: "{registry}登记库中没有该主体的记录",
    en: "the {registry} registry has no record of this subject",
  },
  DATA_MISSING: {
    zh: "缺少数据：{fields}",
    en: "no data for {fields}",
  },
  REGISTRY_UNAVAILABLE: {
    zh: "{registries}登记库未响应，现有数据无法判定",
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

/** The shared registries as a clerk names them; another subgraph is shown by its name. */
const REGISTRY_ZH: Readonly<Record<string, string>> = {
  population: "人口",
  "legal-entity": "法人",
  property: "不动产",
  "social-insurance": "社会保险",
};
const inChinese = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(inChinese)
    : typeof value === "string"
      ? (REGISTRY_ZH[value] ?? value)
      : value;

/**
 * A system reason. Its parameters keep the registries' ids (data for programs); the Chinese
 * text names them as a window clerk does (人口登记库, not "population 登记库").
 */
export function systemReason(code: SystemReasonCode, params: Record<string, unknown> = {}): Reason {
  const reason = reasonFrom({ code, ...SYSTEM_REASONS[code] }, params);
  if (params.registry === undefined && params.registries === undefined) return reason;
  const named = { ...params, registry: inChinese(params.registry), registries: inChinese(params.registries) };
  return { ...reason, text: { ...reason.text, zh: fillTemplate(SYSTEM_REASONS[code].zh, named, "zh") } };
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
