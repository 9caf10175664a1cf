import { describe, expect, it } from "vitest";
import { ageOn, endOfMonth, monthIndex } from "./dates";
import { consecutivePaidMonths, indexBlock, unitsOwned, type BlockIndex } from "./inspect";
import { SAMPLE_CASES, samples } from "./samples";
import type { PersonRecord, Sample, WorldBlock } from "./types";
import { generateBlock } from "./world";

const AS_OF = "202510";

/** Checks that each sample is true to its description against the data of block 0. */
function verify(block: WorldBlock, list: Sample[], asOf: string): void {
  const ix: BlockIndex = indexBlock(block);
  const asOfEnd = endOfMonth(monthIndex(asOf));
  const byCase = new Map(list.map((s) => [s.case, s]));
  const id = (c: string): string => byCase.get(c)?.id ?? `missing ${c}`;
  const person = (c: string): PersonRecord => {
    const p = ix.persons.get(id(c));
    expect(p, c).toBeDefined();
    return p as PersonRecord;
  };
  const paid110 = (c: string): number => consecutivePaidMonths(ix, id(c), "110", asOf);
  const enrolments = (c: string) => block.enrolments.filter((e) => e.idNumber === id(c));
  const activeIn9901 = (c: string): PersonRecord => {
    const p = person(c);
    expect(p.status, c).toBe("ACTIVE");
    expect(p.regionCode.slice(0, 4), c).toBe("9901");
    expect(ageOn(p.birthDate, asOfEnd), c).toBeGreaterThanOrEqual(18);
    return p;
  };
  const openMortgage = (unit: string): boolean =>
    block.mortgages.some((m) => m.unitNumber === unit && m.releasedOn === null);
  const openSeizure = (unit: string): boolean =>
    block.seizures.some((s) => s.unitNumber === unit && s.liftedOn === null);

  expect(list.map((s) => s.case)).toEqual(SAMPLE_CASES);
  for (const s of list) expect(s.description, s.case).toMatch(/^[A-Z][^]*[^.]\.$/);

  const showcase = activeIn9901("person-showcase");
  expect(ix.members.get(showcase.householdNumber)?.length).toBeGreaterThanOrEqual(3);
  expect(unitsOwned(ix, showcase.idNumber)).toHaveLength(1);
  expect(unitsOwned(ix, showcase.idNumber, "9901")).toHaveLength(1);
  expect(
    block.enterprises.some(
      (e) => e.legalRepresentativeIdNumber === showcase.idNumber && e.status === "ACTIVE",
    ),
  ).toBe(true);
  expect(paid110("person-showcase")).toBeGreaterThanOrEqual(36);

  activeIn9901("person-no-home-12-months");
  expect(unitsOwned(ix, id("person-no-home-12-months"))).toHaveLength(0);
  expect(paid110("person-no-home-12-months")).toBeGreaterThanOrEqual(12);

  activeIn9901("person-no-home-short-contributions");
  expect(unitsOwned(ix, id("person-no-home-short-contributions"))).toHaveLength(0);
  expect(paid110("person-no-home-short-contributions")).toBeGreaterThan(0);
  expect(paid110("person-no-home-short-contributions")).toBeLessThan(12);

  for (const [c, n] of [
    ["person-one-home", 1],
    ["person-two-homes", 2],
    ["person-three-homes", 3],
  ] as const) {
    activeIn9901(c);
    expect(unitsOwned(ix, id(c)), c).toHaveLength(n);
    expect(unitsOwned(ix, id(c), "9901"), c).toHaveLength(n);
  }
  expect(
    unitsOwned(ix, id("person-one-home")).some(
      (u) => openMortgage(u.unitNumber) || openSeizure(u.unitNumber),
    ),
  ).toBe(false);

  activeIn9901("person-home-outside-city");
  expect(unitsOwned(ix, id("person-home-outside-city"), "9901")).toHaveLength(0);
  expect(unitsOwned(ix, id("person-home-outside-city"), "9902")).toHaveLength(1);

  activeIn9901("person-mortgaged-home");
  expect(unitsOwned(ix, id("person-mortgaged-home")).some((u) => openMortgage(u.unitNumber))).toBe(true);
  activeIn9901("person-seized-home");
  expect(unitsOwned(ix, id("person-seized-home")).some((u) => openSeizure(u.unitNumber))).toBe(true);

  const deceased = person("person-deceased");
  expect(deceased.status).toBe("DECEASED");
  expect(deceased.deceasedOn).not.toBeNull();
  expect(person("person-emigrated").status).toBe("EMIGRATED");

  const retired = person("person-retired");
  expect(retired.status).toBe("ACTIVE");
  expect(ageOn(retired.birthDate, asOfEnd)).toBeGreaterThanOrEqual(60);
  expect(block.pensions.find((p) => p.idNumber === retired.idNumber)?.status).toBe("RECEIVING");
  expect(enrolments("person-retired").find((e) => e.insuranceType === "110")?.status).toBe("3");

  const nonLocal = person("person-24-months");
  expect(nonLocal.status).toBe("ACTIVE");
  expect(nonLocal.regionCode.slice(0, 4)).toBe("9902");
  expect(paid110("person-24-months")).toBeGreaterThanOrEqual(24);

  const uninsured = person("person-no-insurance");
  expect(ageOn(uninsured.birthDate, asOfEnd)).toBeGreaterThanOrEqual(18);
  expect(enrolments("person-no-insurance")).toHaveLength(0);
  expect(ix.contributions.get(uninsured.idNumber)).toBeUndefined();

  const a = activeIn9901("couple-newborn-parent-a");
  const b = activeIn9901("couple-newborn-parent-b");
  expect([a.spouseIdNumber, b.spouseIdNumber]).toEqual([b.idNumber, a.idNumber]);
  expect([a.maritalStatus, b.maritalStatus]).toEqual(["MARRIED", "MARRIED"]);
  expect(a.householdNumber).toBe(b.householdNumber);
  const medical = [...enrolments("couple-newborn-parent-a"), ...enrolments("couple-newborn-parent-b")].filter(
    (e) => e.insuranceType === "310",
  );
  expect(medical.length).toBeGreaterThanOrEqual(1);

  const household = ix.members.get(id("household-multi-member")) ?? [];
  expect(household.length).toBeGreaterThanOrEqual(4);
  expect(household.filter((p) => p.relation === "HEAD")).toHaveLength(1);
  expect(
    block.households.find((h) => h.number === id("household-multi-member"))?.regionCode.slice(0, 4),
  ).toBe("9901");

  const active = ix.enterprises.get(id("enterprise-active"));
  expect(active?.status).toBe("ACTIVE");
  const insured = block.enrolments.filter(
    (e) => e.employerUscc === active?.uscc && e.insuranceType === "110" && e.status === "1",
  );
  expect(new Set(insured.map((e) => e.idNumber)).size).toBeGreaterThanOrEqual(3);
  expect(ix.enterprises.get(id("enterprise-revoked"))?.status).toBe("REVOKED");
  expect(ix.enterprises.get(id("enterprise-cancelled"))?.status).toBe("CANCELLED");
  expect(ix.enterprises.get(id("enterprise-owns-property"))?.status).toBe("ACTIVE");
  expect(unitsOwned(ix, id("enterprise-owns-property")).length).toBeGreaterThanOrEqual(1);

  expect(ix.units.has(id("realestate-mortgaged")) && openMortgage(id("realestate-mortgaged"))).toBe(true);
  expect(ix.units.has(id("realestate-seized")) && openSeizure(id("realestate-seized"))).toBe(true);
}

describe("showcase samples", () => {
  for (const persons of [50, 1000, 10_000]) {
    it(`are present and true to their descriptions for ${persons} persons`, () => {
      const options = { persons, asOf: AS_OF };
      verify(generateBlock(0, options), samples(options), AS_OF);
    });
  }

  it("hold for other seeds and months", () => {
    for (const options of [
      { seed: 42, asOf: "202002" },
      { seed: 2 ** 40 + 0.5, asOf: "203012" },
      { seed: -3, asOf: "200001" },
    ]) {
      verify(
        generateBlock(0, { ...options, persons: 1000 }),
        samples({ ...options, persons: 1000 }),
        options.asOf,
      );
    }
  });

  it("are deterministic and differ between seeds", () => {
    expect(samples({ persons: 1000, asOf: AS_OF })).toEqual(samples({ persons: 10_000, asOf: AS_OF }));
    expect(samples({ seed: 2, asOf: AS_OF })[0]?.id).not.toBe(samples({ seed: 1, asOf: AS_OF })[0]?.id);
  });
});
