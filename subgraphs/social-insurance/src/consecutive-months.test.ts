import { describe, expect, it } from "vitest";
import { PaymentStatus } from "./codes";
import { consecutiveMonths, type MonthRecord } from "./consecutive-months";
import { currentPeriod, defaultAsOf, monthIndex, periodOfIndex } from "@onecert/subgraph-kit";

const { PAID, ARREARS, BACK_PAID } = PaymentStatus;

/** Records for every month from `from` to `to` inclusive, with the given status. */
function months(from: string, to: string, paymentStatus: PaymentStatus = PAID): MonthRecord[] {
  const records: MonthRecord[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++)
    records.push({ period: periodOfIndex(i), paymentStatus });
  return records;
}

describe("consecutiveMonths", () => {
  it("counts an unbroken run ending at asOf", () => {
    expect(consecutiveMonths(months("202501", "202512"), "202512")).toBe(12);
    expect(consecutiveMonths(months("202501", "202512"), "202506")).toBe(6);
  });

  it("is zero when nothing was paid for asOf itself", () => {
    expect(consecutiveMonths(months("202501", "202511"), "202512")).toBe(0);
    expect(consecutiveMonths([], "202512")).toBe(0);
  });

  it("stops at a missing month", () => {
    const records = [...months("202401", "202405"), ...months("202407", "202412")];
    expect(consecutiveMonths(records, "202412")).toBe(6);
    expect(consecutiveMonths(records, "202405")).toBe(5);
    expect(consecutiveMonths(records, "202406")).toBe(0);
  });

  it("stops at a month in arrears", () => {
    const records = [
      ...months("202401", "202409"),
      { period: "202410", paymentStatus: ARREARS },
      ...months("202411", "202412"),
    ];
    expect(consecutiveMonths(records, "202412")).toBe(2);
    expect(consecutiveMonths(records, "202410")).toBe(0);
    expect(consecutiveMonths(records, "202409")).toBe(9);
  });

  it("counts back-paid months like paid ones", () => {
    const records = [
      ...months("202401", "202406"),
      ...months("202407", "202409", BACK_PAID),
      ...months("202410", "202412"),
    ];
    expect(consecutiveMonths(records, "202412")).toBe(12);
    expect(consecutiveMonths(months("202401", "202403", BACK_PAID), "202403")).toBe(3);
  });

  it("runs across year boundaries", () => {
    expect(consecutiveMonths(months("202311", "202402"), "202402")).toBe(4);
    expect(consecutiveMonths(months("201912", "202001"), "202001")).toBe(2);
    expect(consecutiveMonths([...months("202310", "202311"), ...months("202401", "202402")], "202402")).toBe(
      2,
    );
  });

  it("ignores months after asOf", () => {
    expect(consecutiveMonths(months("202401", "202612"), "202406")).toBe(6);
  });

  it("is zero when asOf is before the first record", () => {
    expect(consecutiveMonths(months("202401", "202412"), "202312")).toBe(0);
    expect(consecutiveMonths(months("202401", "202412"), "201501")).toBe(0);
  });

  it("does not depend on the order or duplicates of records", () => {
    const records = months("202401", "202412").reverse();
    expect(consecutiveMonths([...records, ...records], "202412")).toBe(12);
  });
});

describe("periods", () => {
  it("converts between periods and month indexes", () => {
    expect(periodOfIndex(monthIndex("202401"))).toBe("202401");
    expect(periodOfIndex(monthIndex("202401") - 1)).toBe("202312");
    expect(periodOfIndex(monthIndex("202312") + 1)).toBe("202401");
  });

  it("defaults asOf to the month before the current one", () => {
    expect(currentPeriod(new Date(2026, 0, 15))).toBe("202601");
    expect(defaultAsOf(new Date(2026, 0, 15))).toBe("202512");
    expect(defaultAsOf(new Date(2026, 10, 30))).toBe("202610");
  });
});
