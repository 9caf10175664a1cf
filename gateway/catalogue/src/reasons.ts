import type { CompiledExpression } from "./expressions";

/** The languages every reason template is written in. */
export type ReasonLanguage = "zh" | "en";
export const REASON_LANGUAGES: readonly ReasonLanguage[] = ["zh", "en"];

/** A reason as a client's application shows it: a stable code, its parameters, the text in each language. */
export interface Reason {
  code: string;
  params: Record<string, unknown>;
  text: Readonly<Record<ReasonLanguage, string>>;
}

/** The templates of one reason code, with `{name}` placeholders naming its parameters. */
export interface ReasonTemplate {
  code: string;
  zh: string;
  en: string;
}

/** One case of a certificate's reasons: the first whose `when` holds is taken (none: always). */
export interface ReasonCase extends ReasonTemplate {
  when: CompiledExpression | null;
  params: readonly [name: string, expression: CompiledExpression][];
}

export interface CertificateReasons {
  satisfied: readonly ReasonCase[];
  notSatisfied: readonly ReasonCase[];
}

/** UPPER_SNAKE: codes are matched by programs, so they are kept to one plain form. */
export const REASON_CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
export const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The placeholder names of a template, in order, e.g. ["homesInCity", "below"]. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1]);
}

/** A parameter value as text; a list is joined the way each language writes a list. */
function show(value: unknown, language: ReasonLanguage): string {
  if (value === null || value === undefined) return "-";
  if (Array.isArray(value))
    return value.length === 0
      ? "-"
      : value.map((item) => show(item, language)).join(language === "zh" ? "、" : ", ");
  if (typeof value === "string") return value;
  // As JSONata's `&` writes a number: 15 significant digits, so 0.1 + 0.2 shows as 0.3.
  if (typeof value === "number")
    return String(Number.isInteger(value) ? value : Number(value.toPrecision(15)));
  if (typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Fills a template's placeholders from `params`; a placeholder without a value shows "-". */
export function fillTemplate(
  template: string,
  params: Readonly<Record<string, unknown>>,
  language: ReasonLanguage,
): string {
  return template.replace(/\{([^{}]*)\}/g, (_, name: string) => show(params[name], language));
}

/** A reason from a template and its parameters, in both languages. */
export function reasonFrom(template: ReasonTemplate, params: Record<string, unknown>): Reason {
  return {
    code: template.code,
    params,
    text: { zh: fillTemplate(template.zh, params, "zh"), en: fillTemplate(template.en, params, "en") },
  };
}
