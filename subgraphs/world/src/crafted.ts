/**
 * Hand-designed showcase subjects at the start of block 0. They are built before any random
 * data and are excluded from random selection, so every demo case holds at any world size.
 * Dates are relative to asOf so the cases stay true whatever month the world is generated for.
 */
import { encumber } from "./assets";
import type { BlockBuilder, Holder, Member } from "./builder";
import { dateInMonth } from "./dates";
import { addEmployment, addPension, addResidentPension, type EmploymentPlan } from "./insurance";
import { INDUSTRIES, surnameOf } from "./names";
import type {
  EnterpriseKind,
  EnterpriseRecord,
  EnterpriseStatus,
  MaritalStatus,
  RealEstateUse,
  Sample,
  Sex,
} from "./types";

const DESCRIPTIONS: Record<string, string> = {
  "person-showcase":
    "Active adult in 合成市 (9901) with a four-member household, exactly one home in the city, legal representative of an active enterprise and 36 consecutive paid months of employee pension (110).",
  "person-no-home-12-months":
    "Active resident of 合成市 (9901) who owns no property anywhere and has 36 consecutive paid months of employee pension ending at asOf.",
  "person-no-home-short-contributions":
    "Active resident of 合成市 (9901) who owns no property but has only 3 consecutive paid months because the month three before asOf is missing.",
  "person-one-home":
    "Active resident of 合成市 who owns exactly one home, in 合成市, free of mortgage and seizure.",
  "person-two-homes": "Active resident of 合成市 who owns exactly two homes, both in 合成市.",
  "person-three-homes": "Active resident of 合成市 who owns three homes, all in 合成市.",
  "person-home-outside-city":
    "Active resident of 合成市 whose only home is in 样例市 (9902), so she owns no housing in 合成市.",
  "person-mortgaged-home": "Active resident of 合成市 whose only home carries an unreleased mortgage.",
  "person-seized-home":
    "Active resident of 合成市 whose only home is under a seizure that has not been lifted.",
  "person-deceased": "Person recorded as deceased eight months before asOf, whose pension is stopped.",
  "person-emigrated":
    "Person recorded as emigrated whose employee contributions ended 20 months before asOf.",
  "person-retired": "Retired man in his sixties in 合成市 who is receiving an employee pension.",
  "person-24-months":
    "Active resident of 样例市 (9902), non-local for 合成市, with 36 consecutive paid months of employee pension.",
  "person-no-insurance": "Active adult in 合成市 with no social-insurance enrolment at all.",
  "couple-newborn-parent-a":
    "Husband of couple-newborn-parent-b, household head in 合成市, enrolled in employee medical insurance (310).",
  "couple-newborn-parent-b":
    "Wife of couple-newborn-parent-a in the same 合成市 household, enrolled in medical (310) and maternity (510) insurance.",
  "household-multi-member": "Household of four in 合成市: head, spouse, child and the head's widowed mother.",
  "enterprise-active":
    "Active limited company in 合成市 with at least three employees paying employee pension (110).",
  "enterprise-revoked": "Enterprise whose business licence has been revoked.",
  "enterprise-cancelled": "Enterprise that has been deregistered (cancelled).",
  "enterprise-owns-property": "Active joint-stock company that owns an office unit in 合成市.",
  "realestate-mortgaged": "Residential unit in 合成市 with an unreleased mortgage.",
  "realestate-seized": "Residential unit in 合成市 under a seizure that has not been lifted.",
};

/** Builds the showcase households, enterprises, property and insurance; returns the sample subjects. */
export function addCrafted(b: BlockBuilder): Sample[] {
  const A = b.ctx.asOfMonth;
  const W = b.ctx.windowStart;
  const samples: Sample[] = [];
  const sample = (c: string, kind: Sample["kind"], id: string): void => {
    samples.push({ case: c, description: DESCRIPTIONS[c] ?? c, kind, id });
  };
  const head = (region: string, sex: Sex, age: number, status: MaritalStatus): Member =>
    b.addPerson(b.addHousehold(region), { sex, age, relation: "HEAD", maritalStatus: status }, true);

  // Household of four: the README subject, his wife, their son and his widowed mother.
  const household = b.addHousehold("990102");
  const showcase = b.addPerson(household, { sex: "M", age: 38, relation: "HEAD" }, true);
  const wife = b.addPerson(household, { sex: "F", age: 36, relation: "SPOUSE" }, true);
  b.marry(showcase, wife);
  b.addPerson(
    household,
    { sex: "M", age: 10, relation: "CHILD", surname: surnameOf(showcase.rec.name) },
    true,
  );
  const mother = b.addPerson(
    household,
    {
      sex: "F",
      age: 66,
      relation: "PARENT",
      maritalStatus: "WIDOWED",
      surname: surnameOf(showcase.rec.name),
    },
    true,
  );
  const noHome12 = head("990101", "F", 29, "SINGLE");
  const noHomeShort = head("990103", "M", 26, "SINGLE");
  const oneHome = head("990104", "M", 45, "DIVORCED");
  const twoHomes = head("990105", "F", 52, "DIVORCED");
  const threeHomes = head("990101", "M", 58, "WIDOWED");
  const outside = head("990101", "F", 33, "SINGLE");
  const mortgaged = head("990102", "M", 41, "SINGLE");
  const seized = head("990103", "M", 50, "DIVORCED");
  const deceased = head("990104", "M", 81, "WIDOWED");
  b.kill(deceased, dateInMonth(A - 8, 15));
  const emigrated = head("990105", "F", 35, "SINGLE");
  emigrated.rec.status = "EMIGRATED";
  const retired = head("990101", "M", 64, "WIDOWED");
  const nonLocal = head("990201", "M", 31, "SINGLE");
  const noInsurance = head("990102", "F", 27, "SINGLE");
  const coupleHousehold = b.addHousehold("990101");
  const parentA = b.addPerson(coupleHousehold, { sex: "M", age: 30, relation: "HEAD" }, true);
  const parentB = b.addPerson(coupleHousehold, { sex: "F", age: 28, relation: "SPOUSE" }, true);
  b.marry(parentA, parentB);

  const company = (
    region: string,
    kind: EnterpriseKind,
    status: EnterpriseStatus,
    rep: Member,
    years: number,
    holders: [Member | EnterpriseRecord, number][],
  ): EnterpriseRecord => {
    const e = b.addEnterprise({
      region,
      kind,
      status,
      rep,
      establishedOn: dateInMonth(A - 12 * years, 18),
      capital: 500,
      industry: INDUSTRIES[years % INDUSTRIES.length],
    });
    const list: Holder[] = holders.map(([h, cents]) =>
      "uscc" in h ? { kind: "ENTERPRISE", id: h.uscc, cents } : { kind: "PERSON", id: h.rec.idNumber, cents },
    );
    b.addHolders(e.uscc, list);
    return e;
  };
  const active = company("990102", "LIMITED_LIABILITY", "ACTIVE", showcase, 9, [
    [showcase, 6000],
    [oneHome, 4000],
  ]);
  const revoked = company("990105", "LIMITED_LIABILITY", "REVOKED", twoHomes, 12, [[twoHomes, 10_000]]);
  const cancelled = company("990103", "LIMITED_LIABILITY", "CANCELLED", threeHomes, 15, [
    [threeHomes, 5000],
    [seized, 5000],
  ]);
  const owner = company("990101", "JOINT_STOCK", "ACTIVE", oneHome, 7, [
    [oneHome, 4000],
    [active, 3500],
    [wife, 2500],
  ]);

  const unit = (
    region: string,
    owners: Member[] | EnterpriseRecord,
    monthsAgo: number,
    use: RealEstateUse = "RESIDENTIAL",
  ) =>
    b.addUnit({
      region,
      use,
      owners:
        "uscc" in owners
          ? [{ kind: "ENTERPRISE", id: owners.uscc, share: 100 }]
          : owners.map((m) => ({ kind: "PERSON", id: m.rec.idNumber, share: 100 / owners.length })),
      registeredOn: dateInMonth(A - monthsAgo, 12),
      area: use === "RESIDENTIAL" ? 89.5 + monthsAgo : 320.75,
    });
  unit("990102", [showcase, wife], 70);
  unit("990104", [oneHome], 80);
  unit("990105", [twoHomes], 90);
  unit("990101", [twoHomes], 40);
  unit("990101", [threeHomes], 110);
  unit("990103", [threeHomes], 75);
  unit("990104", [threeHomes], 30);
  unit("990201", [outside], 36);
  const mortgagedUnit = unit("990102", [mortgaged], 50);
  encumber(b, mortgagedUnit, true, false, false);
  const seizedUnit = unit("990103", [seized], 100);
  encumber(b, seizedUnit, false, true, false);
  unit("990101", [retired], 150);
  unit("990101", [parentA, parentB], 24);
  unit("990101", owner, 60, "OFFICE");

  const job = (
    m: Member,
    employer: EnterpriseRecord,
    base: number,
    extra: Partial<EmploymentPlan> = {},
  ): void => {
    const start = extra.start ?? W;
    // Long-standing employees enrolled at 23; recent joiners in their first month.
    const atAge23 = dateInMonth(m.birthMonth + 12 * 23, 10);
    addEmployment(b, m, {
      base,
      start,
      end: A,
      employers: [{ from: start, uscc: employer.uscc }],
      maternity: false,
      enrolledOn: start === W ? atAge23 : dateInMonth(start, 5),
      status: "1",
      ...extra,
    });
  };
  // Bases in whole thousands and a resident level divisible by 12, as in coverage.ts.
  job(showcase, active, 12_000);
  job(wife, owner, 9000, { maternity: true });
  job(noHome12, active, 6000);
  job(noHomeShort, active, 5000, { start: A - 20, gap: { from: A - 3, to: A - 3, kind: "MISSING" } });
  job(oneHome, active, 15_000);
  job(twoHomes, owner, 11_000);
  job(threeHomes, owner, 20_000);
  job(outside, owner, 7000);
  job(mortgaged, active, 9000);
  job(emigrated, active, 7000, { end: A - 20, status: "2" });
  job(nonLocal, owner, 10_000);
  job(parentA, active, 8000);
  job(parentB, owner, 8000, { maternity: true });
  addResidentPension(b, seized, { start: W, end: A, yearlyLevel: 1200, enrolledOn: dateInMonth(W - 30, 3) });
  const pensionSince = (m: Member): string => dateInMonth(m.birthMonth + 12 * 22, 8);
  addPension(b, mother, { monthlyAmount: 3200, status: "RECEIVING", enrolledOn: pensionSince(mother) });
  addPension(b, deceased, { monthlyAmount: 2800, status: "STOPPED", enrolledOn: pensionSince(deceased) });
  addPension(b, retired, { monthlyAmount: 4200, status: "RECEIVING", enrolledOn: pensionSince(retired) });

  sample("person-showcase", "person", showcase.rec.idNumber);
  sample("person-no-home-12-months", "person", noHome12.rec.idNumber);
  sample("person-no-home-short-contributions", "person", noHomeShort.rec.idNumber);
  sample("person-one-home", "person", oneHome.rec.idNumber);
  sample("person-two-homes", "person", twoHomes.rec.idNumber);
  sample("person-three-homes", "person", threeHomes.rec.idNumber);
  sample("person-home-outside-city", "person", outside.rec.idNumber);
  sample("person-mortgaged-home", "person", mortgaged.rec.idNumber);
  sample("person-seized-home", "person", seized.rec.idNumber);
  sample("person-deceased", "person", deceased.rec.idNumber);
  sample("person-emigrated", "person", emigrated.rec.idNumber);
  sample("person-retired", "person", retired.rec.idNumber);
  sample("person-24-months", "person", nonLocal.rec.idNumber);
  sample("person-no-insurance", "person", noInsurance.rec.idNumber);
  sample("couple-newborn-parent-a", "person", parentA.rec.idNumber);
  sample("couple-newborn-parent-b", "person", parentB.rec.idNumber);
  sample("household-multi-member", "household", household.number);
  sample("enterprise-active", "enterprise", active.uscc);
  sample("enterprise-revoked", "enterprise", revoked.uscc);
  sample("enterprise-cancelled", "enterprise", cancelled.uscc);
  sample("enterprise-owns-property", "enterprise", owner.uscc);
  sample("realestate-mortgaged", "realEstate", mortgagedUnit.unitNumber);
  sample("realestate-seized", "realEstate", seizedUnit.unitNumber);
  return samples;
}
