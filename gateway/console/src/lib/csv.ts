/**
 * The auditor's CSV download, made in the browser from the records the search returned: UTF-8
 * with a byte-order mark (so spreadsheet programs read the Chinese text right) and times in the
 * viewer's local time zone with its offset (an auditor reads "14:05 +08:00", not UTC).
 */

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | null | undefined | readonly string[];
}

export const BOM = "\uFEFF";

/** RFC 4180 quoting: fields with a comma, quote, or line break are quoted, quotes doubled. */
export function csvField(value: string | number | null | undefined | readonly string[]): string {
  if (value === null || value === undefined) return "";
  const text = Array.isArray(value) ? value.join(" ") : String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet: keep it text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((column) => csvField(column.header)).join(",")];
  for (const row of rows) lines.push(columns.map((column) => csvField(column.value(row))).join(","));
  return `${BOM}${lines.join("\r\n")}\r\n`;
}

const pad = (value: number, size = 2) => String(Math.abs(value)).padStart(size, "0");

/** An instant as local "YYYY-MM-DD HH:mm:ss ±HH:MM" (the offset of that instant, so DST is right). */
export function localTime(iso: string, offsetMinutes?: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // getTimezoneOffset is minutes behind UTC: -480 for UTC+8.
  const offset = offsetMinutes ?? -date.getTimezoneOffset();
  const shifted = new Date(date.getTime() + offset * 60_000);
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ` +
    `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())} ` +
    `${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}
