import type { ReasonsFile } from "./certificate-schema";
import type { CompiledExpression } from "./expressions";
import { PARAMETER, type FileProblems } from "./fields";
import {
  PLACEHOLDER_NAME,
  REASON_LANGUAGES,
  placeholders,
  type CertificateReasons,
  type ReasonCase,
} from "./reasons";

type Compile = (source: string, what: string) => CompiledExpression | null;
type CaseFile = ReasonsFile["satisfied"][number];

const OUTCOMES = ["satisfied", "notSatisfied"] as const;

/**
 * Reads `reasons:` of a certificate file, whose shape the schema checked: for each outcome a list
 * of cases, the first whose `when` holds giving the code, parameters and texts. The last case has
 * no `when`, so every verdict has a reason without a fallback text nobody wrote; a code is used
 * once per type; placeholders name the case's params. Null when anything is wrong.
 */
export function readReasons(raw: ReasonsFile, p: FileProblems, compile: Compile): CertificateReasons | null {
  const before = p.list.length;
  const codes = new Set<string>();
  const lists = OUTCOMES.map((outcome) => {
    const cases = raw[outcome];
    return cases.map((entry, index) =>
      readCase(entry, `reasons.${outcome}[${index}]`, index === cases.length - 1, codes, p, compile),
    );
  });
  if (p.list.length > before) return null;
  const [satisfied, notSatisfied] = lists as [ReasonCase[], ReasonCase[]];
  return { satisfied, notSatisfied };
}

function readCase(
  raw: CaseFile,
  what: string,
  last: boolean,
  codes: Set<string>,
  p: FileProblems,
  compile: Compile,
): ReasonCase {
  const { code } = raw;
  if (codes.has(code)) p.add(`${what}.code ${code} is used twice in this type`);
  codes.add(code);

  let when: CompiledExpression | null = null;
  if (last && raw.when !== undefined) p.add(`${what} is the last case and must have no "when"`);
  else if (!last && raw.when === undefined) p.add(`${what} needs a "when": only the last case has none`);
  else if (raw.when !== undefined) when = compile(raw.when, `${what}.when`);

  const paramSources = raw.params ?? {};
  const params: [string, CompiledExpression][] = [];
  for (const [name, source] of Object.entries(paramSources)) {
    if (!PARAMETER.test(name)) p.add(`${what}.params: "${name}" is not a name`);
    const compiled = compile(source, `${what}.params.${name}`);
    if (compiled) params.push([name, compiled]);
  }
  for (const language of REASON_LANGUAGES) {
    for (const name of placeholders(raw[language])) {
      if (!PLACEHOLDER_NAME.test(name) || !(name in paramSources))
        p.add(`${what}.${language}: placeholder {${name}} is not one of this case's params`);
    }
  }
  return { code, when, params, zh: raw.zh, en: raw.en };
}
