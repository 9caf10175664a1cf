import type { Queryable } from "./types";

/** A column of a bulk insert with its PostgreSQL type, used to cast the unnested arrays. */
export interface Column<Row> {
  name: string;
  type: "text" | "date" | "numeric" | "integer" | "smallint" | "double precision" | "boolean";
  value: (row: Row) => unknown;
}

/** Rows per statement: arrays keep the parameter count at one per column whatever the size. */
const CHUNK = 5_000;

/**
 * Inserts `rows` with one `INSERT ... SELECT FROM unnest(...)` per chunk: a parameter per
 * column instead of per value, identical on both drivers and near COPY speed.
 */
export async function bulkInsert<Row>(
  db: Queryable,
  table: string,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
): Promise<number> {
  const names = columns.map((column) => column.name).join(", ");
  const casts = columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(", ");
  const sql = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${casts})`;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    await db.query(
      sql,
      columns.map((column) => chunk.map((row) => column.value(row))),
    );
  }
  return rows.length;
}
