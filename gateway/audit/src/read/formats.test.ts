import { describe, expect, it } from "vitest";
import { sampleEntry } from "../testing";
import { csvHeader, csvLine, ndjsonLine } from "./formats";
import { chainEntries, GENESIS_HASH } from "../record";

describe("export formats", () => {
  const [record] = chainEntries(
    { seq: 0, hash: GENESIS_HASH, loggedAt: new Date(0) },
    [
      sampleEntry(1, {
        operatorId: '=cmd|" /c calc"!A1',
        caseNumber: "a,b\nc",
        subjects: ["11010519491231002X", "91350100M000100Y43"],
      }),
    ],
    new Date(),
  );

  it("writes CSV that a spreadsheet shows as text: quoted, with formulas defused", () => {
    const header = csvHeader().trimEnd().split(",");
    const line = csvLine(record);
    expect(header[0]).toBe("seq");
    expect(line).toContain(`"'=cmd|"" /c calc""!A1"`);
    expect(line).toContain(`"a,b\nc"`);
    expect(line).toContain("11010519491231002X 91350100M000100Y43");
    expect(line.endsWith("\r\n")).toBe(true);
  });

  it("writes NDJSON lines that parse back to the record", () => {
    expect(JSON.parse(ndjsonLine(record))).toEqual(record);
  });
});
