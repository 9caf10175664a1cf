import { isMap, isScalar, LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";

/** A catalogue file checked against its schema: the typed value, or every problem of the file. */
export interface CheckedFile<T> {
  value: T | null;
  /** The file as plain data (null when it is not valid YAML), to name it in later problems. */
  raw: unknown;
  /** `file:line:col: reason`, in the order the file reads. */
  problems: string[];
}

/**
 * A strict mapping: a key that `shape` does not name is refused, naming the keys it allows
 * (`hidden` keys are refused with their own message and left out of that list).
 */
export function mapping<S extends z.ZodRawShape>(shape: S, hidden: readonly string[] = []) {
  const allowed = Object.keys(shape)
    .filter((key) => !hidden.includes(key))
    .join(", ");
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? allowed : "must be a mapping"),
  });
}

/** `reasons.satisfied[0].code` for ["reasons", "satisfied", 0, "code"]. */
export function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === "number" ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
    )
    .join("");
}

/**
 * Parses `text` (the `yaml` package, keeping node ranges) and checks it against `schema`. Each
 * problem names the line and column of the offending key or value: an unknown key where the key
 * is written, a wrong value where the value is, a missing key at the mapping that lacks it.
 * `what` names the top-level mapping in messages ("unknown key "x" in matter").
 */
export function checkYamlFile<T>(
  file: string,
  text: string,
  schema: z.ZodType<T>,
  what: string,
): CheckedFile<T> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    return {
      value: null,
      raw: null,
      problems: doc.errors.map((error) => `${at(error.pos[0])}: not valid YAML: ${error.message}`),
    };
  }
  const raw: unknown = doc.toJS();
  const result = schema.safeParse(raw);
  if (result.success) return { value: result.data, raw, problems: [] };

  /** The offset of the nearest node on `path` that the file has: the value, else its parent. */
  const offsetOf = (path: readonly PropertyKey[]): number => {
    for (let length = path.length; length > 0; length--) {
      const node = doc.getIn(path.slice(0, length), true) as Node | undefined;
      if (node?.range) return node.range[0];
    }
    return (doc.contents as Node | null)?.range?.[0] ?? 0;
  };
  const found: { offset: number; message: string }[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path;
    if (issue.code === "unrecognized_keys") {
      const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
      const where = path.length === 0 ? what : pathText(path);
      for (const key of issue.keys) {
        const pair = isMap(node)
          ? node.items.find((item) => isScalar(item.key) && String(item.key.value) === key)
          : undefined;
        const offset = isScalar(pair?.key) && pair.key.range ? pair.key.range[0] : offsetOf(path);
        found.push({ offset, message: `unknown key "${key}" in ${where} (allowed: ${issue.message})` });
      }
      continue;
    }
    const subject = path.length === 0 ? `the ${what} file` : pathText(path);
    // Messages of this catalogue's schemas read on from the path ("must be ..."); zod's own do not.
    const message = /^(must|needs|is|are) /.test(issue.message)
      ? `${subject} ${issue.message}`
      : `${subject}: ${issue.message}`;
    found.push({ offset: offsetOf(path), message });
  }
  // Stable: problems at one place keep the schema's order.
  found.sort((a, b) => a.offset - b.offset);
  return { value: null, raw, problems: found.map(({ offset, message }) => `${at(offset)}: ${message}`) };
}
