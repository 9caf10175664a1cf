import { describe, expect, it } from "vitest";
import { sampleEntry } from "./testing";
import {
  canonicalJson,
  canonicalRecord,
  chainEntries,
  GENESIS_HASH,
  RECORD_COLUMNS,
  recordContent,
  recordHash,
  recordIntact,
} from "./record";

const head = { seq: 0, hash: GENESIS_HASH, loggedAt: new Date(0) };

describe("canonical JSON", () => {
  it("sorts keys at every level, keeps array order, writes no spaces and leaves out undefined", () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: "x" }, 2], e: undefined })).toBe(
      '{"a":[{"c":"x","d":null},2],"b":1}',
    );
    expect(canonicalJson('引号"\\\n')).toBe(JSON.stringify('引号"\\\n'));
  });

  it("writes a record exactly as the general form does", () => {
    const [record] = chainEntries(
      head,
      [
        sampleEntry(1, {
          operatorId: '张三 "quoted" \\ \u2028',
          subjects: ["91350100M000100Y43"],
          caseNumber: "（2026）-1",
        }),
      ],
      new Date("2026-01-02T03:04:05.006Z"),
    );
    expect(canonicalRecord(record)).toBe(canonicalJson(recordContent(record)));
  });
});

describe("the hash chain", () => {
  it("numbers records consecutively, links each to the one before, and never goes back in time", () => {
    const later = { seq: 7, hash: "a".repeat(64), loggedAt: new Date("2030-01-01T00:00:00Z") };
    const records = chainEntries(
      later,
      [sampleEntry(1), sampleEntry(2), sampleEntry(3)],
      new Date("2029-01-01T00:00:00Z"),
    );
    expect(records.map((r) => r.seq)).toEqual([8, 9, 10]);
    expect(records[0].prevHash).toBe(later.hash);
    expect(records[1].prevHash).toBe(records[0].hash);
    expect(records[2].prevHash).toBe(records[1].hash);
    expect(records.every((r) => r.loggedAt === "2030-01-01T00:00:00.000Z")).toBe(true);
    for (const record of records) expect(recordHash(record)).toBe(record.hash);
  });

  it("changes the hash when any recorded field changes", () => {
    const [record] = chainEntries(head, [sampleEntry(1)], new Date());
    for (const [key] of RECORD_COLUMNS) {
      if (key === "hash") continue;
      const value = record[key];
      const changed = {
        ...record,
        [key]: Array.isArray(value)
          ? [...value, "x"]
          : typeof value === "number"
            ? value + 1
            : value === null
              ? "x"
              : `${value}x`,
      };
      // A changed suite may name none this code knows: then no hash matches at all.
      expect(recordIntact(changed), key).toBe(false);
    }
  });
});
