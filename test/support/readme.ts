import { readFileSync } from "node:fs";

/**
 * The README's runnable examples. A fenced block is an example when the line before it is an
 * HTML comment the reader does not see:
 *   <!-- example -->                 a shell block, run in one bash session with the others
 *   <!-- example marriage=VARIANT -->
 *                                    a shell block run once the walkthrough's marriage registry
 *                                    serves VARIANT (the reader restarts it, as the README says)
 *   <!-- example-output -->          what the example before it prints: JSON (compared by shape)
 *                                    or text (each line's first word must appear, in order)
 *   <!-- example-query VAR=CASE matter=M -->
 *                                    a GraphQL block, sent as the demo window under matter M,
 *                                    with $VAR set to the demo subject of CASE
 *   <!-- example-file PATH -->       a block that must be the file at PATH, as it is
 */
export type Example =
  | { kind: "shell"; line: number; code: string; settings: Record<string, string> }
  | { kind: "output"; line: number; language: string; code: string }
  | { kind: "query"; line: number; code: string; matter: string; variables: Record<string, string> }
  | { kind: "file"; line: number; code: string; path: string };

const FENCE = /^```(\w*)\s*$/;
const MARK = /^<!--\s*(example(?:-output|-query|-file)?)\b(.*?)-->\s*$/;

export function readmeExamples(path: string): Example[] {
  const lines = readFileSync(path, "utf8").split("\n");
  const examples: Example[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const mark = MARK.exec(lines[index].trim());
    if (!mark) continue;
    let open = index + 1;
    while (lines[open]?.trim() === "") open += 1;
    const fence = FENCE.exec(lines[open] ?? "");
    if (!fence) throw new Error(`README.md:${index + 1}: ${mark[1]} is not followed by a fenced block`);
    const end = lines.findIndex((line, at) => at > open && /^```\s*$/.test(line));
    const code = lines.slice(open + 1, end).join("\n");
    const line = open + 2;
    const settings = Object.fromEntries(
      [...mark[2].matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1], match[2]]),
    );
    if (mark[1] === "example") examples.push({ kind: "shell", line, code, settings });
    else if (mark[1] === "example-output") examples.push({ kind: "output", line, language: fence[1], code });
    else if (mark[1] === "example-file") examples.push({ kind: "file", line, code, path: mark[2].trim() });
    else {
      const { matter, ...variables } = settings;
      if (!matter) throw new Error(`README.md:${line}: example-query needs matter=`);
      examples.push({ kind: "query", line, code, matter, variables });
    }
    index = end;
  }
  return examples;
}

/** Where `actual` differs in shape from `expected` (keys, JSON types, empty or not); [] when alike. */
export function shapeDifferences(expected: unknown, actual: unknown, path = "$"): string[] {
  const kind = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
  if (kind(expected) !== kind(actual))
    return [`${path}: ${kind(expected)} in the README, ${kind(actual)} here`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length > 0 && actual.length === 0) return [`${path}: empty here, not in the README`];
    return expected.length > 0 ? shapeDifferences(expected[0], actual[0], `${path}[0]`) : [];
  }
  if (kind(expected) !== "object") return [];
  const want = expected as Record<string, unknown>;
  const got = actual as Record<string, unknown>;
  const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
  return [...keys].flatMap((key) =>
    !(key in got)
      ? [`${path}.${key}: missing here`]
      : !(key in want)
        ? [`${path}.${key}: not in the README`]
        : shapeDifferences(want[key], got[key], `${path}.${key}`),
  );
}

/** Lines of `expected` whose first word does not appear, in order, at the start of a line of `actual`. */
export function textDifferences(expected: string, actual: string): string[] {
  const got = actual.split("\n").map((line) => line.trim().split(/\s+/)[0] ?? "");
  let at = 0;
  const missing: string[] = [];
  for (const line of expected.split("\n").filter((text) => text.trim() !== "")) {
    const word = line.trim().split(/\s+/)[0];
    const found = got.indexOf(word, at);
    if (found < 0) missing.push(line);
    else at = found + 1;
  }
  return missing;
}
