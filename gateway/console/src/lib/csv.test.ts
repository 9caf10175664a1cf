import { describe, expect, it } from "vitest";
import { BOM, csvField, localTime, toCsv } from "./csv";

describe("audit CSV", () => {
  it("starts with a BOM, quotes what needs it and keeps formulas as text", () => {
    const csv = toCsv(
      [
        { header: "时间", value: (row: { at: string; note: string; list: string[] }) => row.at },
        { header: "note", value: (row) => row.note },
        { header: "fields", value: (row) => row.list },
      ],
      [{ at: "2026-01-02", note: 'a "quoted", text', list: ["person.name", "person.household"] }],
    );
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(1)).toBe(
      '时间,note,fields\r\n2026-01-02,"a ""quoted"", text",person.name person.household\r\n',
    );
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(null)).toBe("");
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
  });

  it("writes local time with the offset of the zone", () => {
    expect(localTime("2026-03-01T16:05:09.123Z", 480)).toBe("2026-03-02 00:05:09 +08:00");
    expect(localTime("2026-03-01T16:05:09Z", -330)).toBe("2026-03-01 10:35:09 -05:30");
    expect(localTime("not a time", 0)).toBe("not a time");
  });
});
