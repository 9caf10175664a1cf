import { describe, expect, it } from "vitest";
import { chainEntries, GENESIS_HASH, RECORD_COLUMNS } from "../record";
import { appendParams } from "./sql";
import { sampleEntry } from "../testing";

describe("append parameters", () => {
  it("carry every column of every record, odd text included, and the head the batch chains to", () => {
    const records = chainEntries(
      { seq: 41, hash: GENESIS_HASH, loggedAt: new Date(0) },
      [sampleEntry(1, { operatorId: '张三 "quoted" \\ \u2028', caseNumber: null }), sampleEntry(2)],
      new Date(),
    );
    const params = appendParams(records, null, 40);
    const rows = JSON.parse(params[0] as string) as Record<string, unknown>[];
    expect(rows).toEqual(
      records.map((record) =>
        Object.fromEntries(RECORD_COLUMNS.map(([key, column]) => [column, record[key]])),
      ),
    );
    expect(params.slice(1, 7)).toEqual([null, null, null, null, null, null]);
    expect(params.slice(7)).toEqual([
      43,
      records[1].hash,
      records[1].loggedAt,
      40,
      41,
      GENESIS_HASH,
      null,
      null,
    ]);
  });
});
