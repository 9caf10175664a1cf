/** Columns a string takes in a terminal: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

/** An aligned table whose cells may hold Chinese text. */
export function printWideTable<Row>(
  rows: readonly Row[],
  columns: readonly [string, (row: Row) => string][],
): void {
  const cells = rows.map((row) => columns.map(([, cell]) => cell(row)));
  const widths = columns.map(([header], index) =>
    Math.max(displayWidth(header), ...cells.map((line) => displayWidth(line[index]))),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => value + " ".repeat(widths[index] - displayWidth(value)))
      .join("  ")
      .trimEnd();
  process.stdout.write([line(columns.map(([header]) => header)), ...cells.map(line)].join("\n") + "\n");
}
