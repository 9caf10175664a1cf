import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb } from "../testing";
import type { Db } from "./types";
import { arrayLiteral, bulkInsert, type Column } from "./bulk";

interface Row {
  id: number;
  label: string | null;
  amount: number;
  on: string | null;
  flag: boolean;
}

const columns: Column<Row>[] = [
  { name: "id", type: "integer", value: (row) => row.id },
  { name: "label", type: "text", value: (row) => row.label },
  { name: "amount", type: "numeric", value: (row) => row.amount },
  { name: "on_date", type: "date", value: (row) => row.on },
  { name: "flag", type: "boolean", value: (row) => row.flag },
];

// Every character that is special inside an array literal, plus the word NULL as text.
const LABELS = [
  "plain",
  'with "quotes"',
  "back\\slash",
  "{braces}, comma",
  "  spaced  ",
  "NULL",
  "",
  "张三",
  null,
];

describe("bulkInsert", () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
    await db.exec(
      "CREATE TABLE bulk_rows (id integer PRIMARY KEY, label text, amount numeric(12,2), on_date date, flag boolean)",
    );
  });
  afterAll(() => db.close());

  it("round-trips special characters, nulls and every column type", async () => {
    const rows: Row[] = Array.from({ length: 12_345 }, (_, id) => ({
      id,
      label: LABELS[id % LABELS.length] ?? null,
      amount: (id * 37) / 100,
      on: id % 5 === 0 ? null : "2024-02-29",
      flag: id % 2 === 0,
    }));
    expect(await bulkInsert(db, "bulk_rows", columns, rows)).toBe(rows.length);
    const back = await db.query<{
      id: number;
      label: string | null;
      amount: number;
      on_date: string | null;
      flag: boolean;
    }>("SELECT id, label, amount, on_date, flag FROM bulk_rows ORDER BY id");
    expect(
      back.map((row) => ({
        id: row.id,
        label: row.label,
        amount: Number(row.amount),
        on: row.on_date,
        flag: row.flag,
      })),
    ).toEqual(rows);
  });

  it("writes an array literal PostgreSQL reads back element for element", () => {
    expect(arrayLiteral(['a"b', null, 1.5, true], (value) => value)).toBe('{"a\\"b",NULL,1.5,true}');
    expect(arrayLiteral([1, 2, 3, 4], (value) => value, 1, 3)).toBe("{2,3}");
  });
});
