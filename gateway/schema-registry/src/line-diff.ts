type Kind = " " | "-" | "+";

// The table of a longest common subsequence costs (n+1)(m+1) cells: past this, the differing
// middle is shown as removed and added whole rather than spending memory on a finer diff.
const MAX_CELLS = 4_000_000;

/** The edit script turning `a` into `b`: kept, removed and added lines, by longest common subsequence. */
function script(a: readonly string[], b: readonly string[]): Kind[] {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) return [...a.map((): Kind => "-"), ...b.map((): Kind => "+")];
  const width = m + 1;
  const common = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      common[i * width + j] =
        a[i] === b[j]
          ? common[(i + 1) * width + j + 1] + 1
          : Math.max(common[(i + 1) * width + j], common[i * width + j + 1]);
    }
  }
  const kinds: Kind[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      kinds.push(" ");
      i += 1;
      j += 1;
    } else if (common[(i + 1) * width + j] >= common[i * width + j + 1]) {
      kinds.push("-");
      i += 1;
    } else {
      kinds.push("+");
      j += 1;
    }
  }
  for (; i < n; i += 1) kinds.push("-");
  for (; j < m; j += 1) kinds.push("+");
  return kinds;
}

/**
 * A unified diff (`---`/`+++` headers, `@@` hunks with `context` lines around each change) of
 * the lines of `before` and `after`; "" when they are equal.
 */
export function unifiedDiff(
  before: string,
  after: string,
  labels: { before: string; after: string },
  context = 3,
): string {
  const a = before.split("\n");
  const b = after.split("\n");
  // Only the differing middle needs the quadratic table.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail += 1;
  const kinds: Kind[] = [
    ...Array<Kind>(head).fill(" "),
    ...script(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...Array<Kind>(tail).fill(" "),
  ];
  const lines: { kind: Kind; text: string; at: number; to: number }[] = [];
  let at = 0;
  let to = 0;
  for (const kind of kinds) {
    lines.push({ kind, text: kind === "+" ? b[to] : a[at], at, to });
    if (kind !== "+") at += 1;
    if (kind !== "-") to += 1;
  }
  const changed = lines.flatMap((line, index) => (line.kind === " " ? [] : [index]));
  if (changed.length === 0) return "";
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  for (let k = 0; k < changed.length; k += 1) {
    const start = Math.max(0, changed[k] - context);
    let end = Math.min(lines.length, changed[k] + context + 1);
    while (k + 1 < changed.length && changed[k + 1] - context <= end) {
      k += 1;
      end = Math.min(lines.length, changed[k] + context + 1);
    }
    const hunk = lines.slice(start, end);
    const removed = hunk.filter((line) => line.kind !== "+").length;
    const added = hunk.filter((line) => line.kind !== "-").length;
    // A side with no lines in the hunk is numbered by the line before it, as `diff -u` does.
    const from = removed === 0 ? hunk[0].at : hunk[0].at + 1;
    const into = added === 0 ? hunk[0].to : hunk[0].to + 1;
    out.push(`@@ -${from},${removed} +${into},${added} @@`);
    for (const line of hunk) out.push(`${line.kind}${line.text}`);
  }
  return out.join("\n");
}
