import type { CompiledExpression } from "./expressions";
import { PARAMETER, type FileProblems } from "./fields";
import {
  PLACEHOLDER_NAME,
  REASON_CODE,
  REASON_LANGUAGES,
  placeholders,
  type CertificateReasons,
  type ReasonCase,
} from "./reasons";

type Compile = (source: unknown, what: string) => CompiledExpression | null;

const OUTCOMES = ["satisfied", "notSatisfied"] as const;
const CASE_KEYS = new Set(["when", "code", "params", "zh", "en"]);

/**
 * Reads `reasons:` of a certificate file: for each outcome a list of cases, the first whose
 * `when` holds giving the code, parameters and texts. The last case has no `when`, so every
 * verdict has a reason without a fallback text nobody wrote. Null when anything is wrong.
 */
export function readReasons(source: unknown, p: FileProblems, compile: Compile): CertificateReasons | null {
  const raw = p.record(source, "reasons");
  const before = p.list.length;
  for (const key of Object.keys(raw))
    if (!(OUTCOMES as readonly string[]).includes(key))
      p.add(`reasons.${key} is not an outcome: use satisfied and notSatisfied`);
  const codes = new Set<string>();
  const lists = OUTCOMES.map((outcome) => {
    const cases = p.array(raw[outcome], `reasons.${outcome}`);
    if (cases.length === 0) p.add(`reasons.${outcome} must list at least one case`);
    return cases.map((entry, index) =>
      readCase(entry, `reasons.${outcome}[${index}]`, index === cases.length - 1, codes, p, compile),
    );
  });
  if (p.list.length > before) return null;
  const [satisfied, notSatisfied] = lists as [ReasonCase[], ReasonCase[]];
  return { satisfied, notSatisfied };
}

function readCase(
  entry: unknown,
  what: string,
  last: boolean,
  codes: Set<string>,
  p: FileProblems,
  compile: Compile,
): ReasonCase | null {
  const raw = p.record(entry, what);
  for (const key of Object.keys(raw)) if (!CASE_KEYS.has(key)) p.add(`${what}: unknown key "${key}"`);
  const code = typeof raw.code === "string" ? raw.code : "";
  if (!REASON_CODE.test(code)) p.add(`${what}.code must be UPPER_SNAKE, e.g. NO_HOME_IN_CITY`);
  else if (codes.has(code)) p.add(`${what}.code ${code} is used twice in this type`);
  codes.add(code);

  let when: CompiledExpression | null = null;
  if (last && raw.when !== undefined) p.add(`${what} is the last case and must have no "when"`);
  else if (!last && raw.when === undefined) p.add(`${what} needs a "when": only the last case has none`);
  else if (raw.when !== undefined) when = compile(raw.when, `${what}.when`);

  const paramSources = p.record(raw.params, `${what}.params`);
  const params: [string, CompiledExpression][] = [];
  for (const [name, source] of Object.entries(paramSources)) {
    if (!PARAMETER.test(name)) p.add(`${what}.params: "${name}" is not a name`);
    const compiled = compile(source, `${what}.params.${name}`);
    if (compiled) params.push([name, compiled]);
  }
  const texts: Record<string, string> = {};
  for (const language of REASON_LANGUAGES) {
    const text = raw[language];
    if (typeof text !== "string" || text.trim() === "") {
      p.add(`${what}.${language} must be a non-empty template: every reason is given in zh and en`);
      continue;
    }
    texts[language] = text;
    for (const name of placeholders(text)) {
      if (!PLACEHOLDER_NAME.test(name) || !(name in paramSources))
        p.add(`${what}.${language}: placeholder {${name}} is not one of this case's params`);
    }
  }
  return { code, when, params, zh: texts.zh ?? "", en: texts.en ?? "" };
}
