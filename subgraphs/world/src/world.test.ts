import { describe, expect, it } from "vitest";
import {
  validateCertificateNumber,
  validateIdNumber,
  validateUnitNumber,
  validateUscc,
} from "@onecert/subgraph-kit";
import { ID_MULTIPLIER, ID_SPACE, MAX_PERSONS } from "./context";
import { ageOn, endOfMonth, monthIndexOfDate, monthIndex } from "./dates";
import { RATES } from "./insurance";
import { round2 } from "./random";
import type { PersonRecord, WorldBlock } from "./types";
import {
  BLOCK_SIZE,
  cityOf,
  defaultAsOf,
  generateBlock,
  generateWorld,
  SYNTHETIC_CITIES,
  worldSize,
} from "./world";

const AS_OF = "202510";
const AS_OF_END = endOfMonth(monthIndex(AS_OF));

/** Every broken invariant of a block, as readable lines (empty when the block is sound). */
function problems(block: WorldBlock, asOf: string): string[] {
  const out: string[] = [];
  const asOfMonth = monthIndex(asOf);
  const asOfEnd = endOfMonth(asOfMonth);
  const bad = (what: string): void => void (out.length < 20 && out.push(what));
  const persons = new Map(block.persons.map((p) => [p.idNumber, p]));
  const usccs = new Set(block.enterprises.map((e) => e.uscc));
  const activeEmployers = new Set(block.enterprises.filter((e) => e.status === "ACTIVE").map((e) => e.uscc));
  const units = new Map(block.realEstate.map((u) => [u.unitNumber, u]));
  const partyExists = (kind: string, id: string): boolean =>
    kind === "PERSON" ? persons.has(id) : usccs.has(id);

  for (const p of block.persons) {
    const v = validateIdNumber(p.idNumber);
    if (!v.ok) bad(`${p.idNumber}: ${v.reason}`);
    if (p.birthDate !== `${p.idNumber.slice(6, 10)}-${p.idNumber.slice(10, 12)}-${p.idNumber.slice(12, 14)}`)
      bad(`birth ${p.idNumber}`);
    if ((Number(p.idNumber[16]) % 2 === 1 ? "M" : "F") !== p.sex) bad(`sex parity ${p.idNumber}`);
    if (p.birthDate > asOfEnd) bad(`born after asOf ${p.idNumber}`);
    if (!p.idNumber.startsWith("99") || !p.regionCode.startsWith("99"))
      bad(`non-synthetic region ${p.idNumber}`);
    if (!/^1[0-9]{10}$/.test(p.phone)) bad(`phone ${p.phone}`);
    if ((p.status === "DECEASED") !== (p.deceasedOn !== null)) bad(`deceasedOn ${p.idNumber}`);
    if (p.deceasedOn !== null && (p.deceasedOn > asOfEnd || p.deceasedOn < p.birthDate))
      bad(`death date ${p.idNumber}`);
    if (p.spouseIdNumber !== null) {
      const s = persons.get(p.spouseIdNumber);
      if (!s || s.spouseIdNumber !== p.idNumber || s.sex === p.sex)
        bad(`spouse not reciprocal ${p.idNumber}`);
      if (p.maritalStatus !== "MARRIED") bad(`spouse but not married ${p.idNumber}`);
    }
  }
  const byHousehold = new Map<string, PersonRecord[]>();
  for (const p of block.persons) {
    const list = byHousehold.get(p.householdNumber);
    if (list) list.push(p);
    else byHousehold.set(p.householdNumber, [p]);
  }
  for (const h of block.households) {
    const list = byHousehold.get(h.number) ?? [];
    const hs = list.filter((p) => p.relation === "HEAD");
    const head = hs[0];
    if (hs.length !== 1 || !head || head.idNumber !== h.headIdNumber) {
      bad(`household ${h.number} has ${hs.length} heads`);
      continue;
    }
    const headAge = ageOn(head.birthDate, asOfEnd);
    if (headAge < 22 || headAge > 85) bad(`head age ${headAge} ${head.idNumber}`);
    const spouse = list.find((p) => p.relation === "SPOUSE");
    if (spouse) {
      const [older, younger] = [head.birthDate, spouse.birthDate].sort();
      if (ageOn(older, younger) > 8) bad(`spouse age gap ${h.number}`);
    }
    for (const p of list) {
      if (p.regionCode !== h.regionCode || p.address !== h.address) bad(`member region ${p.idNumber}`);
      for (const parent of p.relation === "CHILD" ? [head, spouse] : []) {
        if (!parent) continue;
        const gap = ageOn(parent.birthDate, p.birthDate);
        if (gap < 16 || gap > 45) bad(`child ${p.idNumber} is ${gap} years younger than a parent`);
      }
      if (p.relation === "PARENT" && p.birthDate >= head.birthDate) bad(`parent not older ${p.idNumber}`);
      if (p.relation === "GRANDCHILD" && ageOn(head.birthDate, p.birthDate) < 32)
        bad(`grandchild ${p.idNumber}`);
    }
  }
  if (byHousehold.size !== block.households.length) bad("persons reference unknown households");

  for (const e of block.enterprises) {
    const v = validateUscc(e.uscc);
    if (!v.ok) bad(`${e.uscc}: ${v.reason}`);
    const rep = persons.get(e.legalRepresentativeIdNumber);
    if (!rep || rep.status !== "ACTIVE" || ageOn(rep.birthDate, asOfEnd) < 18) bad(`legal rep of ${e.uscc}`);
    if (!e.uscc.startsWith("91" + e.regionCode)) bad(`uscc region ${e.uscc}`);
  }
  const shares = new Map<string, number>();
  for (const s of block.shareholdings) {
    if (!usccs.has(s.uscc) || !partyExists(s.holderKind, s.holderId) || s.holderId === s.uscc)
      bad(`shareholding ${s.uscc}`);
    if (!(s.share > 0) || round2(s.share) !== s.share) bad(`share ${s.share}`);
    shares.set(s.uscc, (shares.get(s.uscc) ?? 0) + Math.round(s.share * 100));
  }
  for (const e of block.enterprises)
    if (shares.get(e.uscc) !== 10_000) bad(`shares of ${e.uscc} sum to ${shares.get(e.uscc)}`);

  const owned = new Map<string, number>();
  for (const u of block.realEstate) {
    for (const [v, what] of [
      [validateUnitNumber(u.unitNumber), u.unitNumber],
      [validateCertificateNumber(u.certificateNumber), u.certificateNumber],
    ] as const) {
      if (!v.ok) bad(`${what}: ${v.reason}`);
    }
    if (u.registeredOn > asOfEnd || !u.unitNumber.startsWith(u.regionCode)) bad(`unit ${u.unitNumber}`);
  }
  for (const o of block.ownerships) {
    if (!units.has(o.unitNumber) || !partyExists(o.ownerKind, o.ownerId)) bad(`ownership ${o.unitNumber}`);
    owned.set(o.unitNumber, (owned.get(o.unitNumber) ?? 0) + o.share);
  }
  for (const u of block.realEstate) if (owned.get(u.unitNumber) !== 100) bad(`ownership of ${u.unitNumber}`);
  for (const m of block.mortgages) {
    const u = units.get(m.unitNumber);
    if (!u || m.registeredOn < u.registeredOn || m.registeredOn > asOfEnd) bad(`mortgage ${m.unitNumber}`);
    if (m.releasedOn !== null && (m.releasedOn < m.registeredOn || m.releasedOn > asOfEnd))
      bad(`release ${m.unitNumber}`);
  }
  for (const s of block.seizures) {
    const u = units.get(s.unitNumber);
    if (!u || s.seizedOn < u.registeredOn || s.seizedOn > asOfEnd) bad(`seizure ${s.unitNumber}`);
    if (s.liftedOn !== null && (s.liftedOn < s.seizedOn || s.liftedOn > asOfEnd)) bad(`lift ${s.unitNumber}`);
  }

  const enrolled = new Set<string>();
  for (const e of block.enrolments) {
    const key = `${e.idNumber}/${e.insuranceType}`;
    if (enrolled.has(key)) bad(`duplicate enrolment ${key}`);
    enrolled.add(key);
    if (!persons.has(e.idNumber) || (e.employerUscc !== null && !usccs.has(e.employerUscc)))
      bad(`enrolment ${key}`);
  }
  const seen = new Set<string>();
  for (const c of block.contributions) {
    const p = persons.get(c.idNumber);
    const month = monthIndex(c.period);
    const key = `${c.idNumber}/${c.period}/${c.insuranceType}`;
    if (!p || seen.has(key) || !enrolled.has(`${c.idNumber}/${c.insuranceType}`)) bad(`contribution ${key}`);
    seen.add(key);
    if (c.employerUscc !== null && !activeEmployers.has(c.employerUscc)) bad(`employer of ${key}`);
    if (month > asOfMonth || month <= asOfMonth - 36) bad(`period outside the window ${key}`);
    if (p?.deceasedOn && month >= monthIndexOfDate(p.deceasedOn)) bad(`contribution after death ${key}`);
    if (p?.status === "EMIGRATED" && month > asOfMonth - 12) bad(`contribution after emigration ${key}`);
    const [er, pr] = RATES[c.insuranceType];
    const expected = c.insuranceType === "170" ? [0, c.base] : [round2(c.base * er), round2(c.base * pr)];
    if (c.employerAmount !== expected[0] || c.personalAmount !== expected[1]) bad(`amounts ${key}`);
    if (c.insuranceType !== "170" && (c.base < 4000 || c.base > 30_000)) bad(`base ${key}`);
    // Whole-yuan amounts keep V8 from boxing the number fields (see coverage.ts).
    if (![c.base, c.employerAmount, c.personalAmount].every(Number.isInteger))
      bad(`fractional amount ${key}`);
  }
  for (const pension of block.pensions) {
    const p = persons.get(pension.idNumber);
    if (
      !p ||
      ageOn(p.birthDate, pension.retiredOn) < (p.sex === "M" ? 60 : 55) ||
      pension.retiredOn > asOfEnd
    ) {
      bad(`pension ${pension.idNumber}`);
    }
    if (!enrolled.has(`${pension.idNumber}/110`)) bad(`pensioner without 110 ${pension.idNumber}`);
  }
  return out;
}

describe("world generator", () => {
  it("is deterministic and seed-sensitive", () => {
    const options = { persons: 2500, asOf: AS_OF, seed: 7 };
    expect(generateBlock(1, options)).toEqual(generateBlock(1, options));
    const other = generateBlock(1, { ...options, seed: 8 });
    expect(other.persons.map((p) => p.idNumber)).not.toEqual(
      generateBlock(1, options).persons.map((p) => p.idNumber),
    );
    // A block does not depend on how large the world is, except for the size of the last block.
    expect(generateBlock(1, { ...options, persons: 50_000 })).toEqual(generateBlock(1, options));
  });

  it("yields the same blocks generateBlock produces, the last one partial", () => {
    const options = { persons: 3500, asOf: AS_OF };
    expect(worldSize(options)).toBe(4);
    const blocks = [...generateWorld(options)];
    expect(blocks.map((b) => b.persons.length)).toEqual([1000, 1000, 1000, 500]);
    blocks.forEach((b, k) => expect(b).toEqual(generateBlock(k, options)));
    expect(() => generateBlock(4, options)).toThrow(RangeError);
    expect(() => generateBlock(0, { persons: 10 })).toThrow(RangeError);
    expect(() => generateBlock(0, { persons: MAX_PERSONS + 1 })).toThrow(RangeError);
  });

  it("keeps every block internally consistent and valid", () => {
    for (const block of generateWorld({ persons: 12_000, asOf: AS_OF, seed: 3 })) {
      expect(problems(block, AS_OF), `block ${block.index}`).toEqual([]);
    }
    expect(problems(generateBlock(0, { persons: 50, asOf: AS_OF }), AS_OF)).toEqual([]);
  });

  it("gives 200,000 persons world-unique identifiers", () => {
    expect(BLOCK_SIZE).toBe(1000);
    // The id scheme is an affine bijection; the multiplier must be coprime to the code space.
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    expect(gcd(ID_MULTIPLIER, ID_SPACE)).toBe(1);
    expect(ID_SPACE).toBeGreaterThanOrEqual(MAX_PERSONS);
    const sets = {
      ids: new Set<string>(),
      usccs: new Set<string>(),
      units: new Set<string>(),
      certificates: new Set<string>(),
      households: new Set<string>(),
    };
    let persons = 0;
    let enterprises = 0;
    let realEstate = 0;
    let households = 0;
    const invalid: string[] = [];
    for (const block of generateWorld({ persons: 200_000, asOf: AS_OF })) {
      persons += block.persons.length;
      enterprises += block.enterprises.length;
      realEstate += block.realEstate.length;
      households += block.households.length;
      for (const p of block.persons) {
        sets.ids.add(p.idNumber);
        if (!validateIdNumber(p.idNumber).ok) invalid.push(p.idNumber);
      }
      for (const e of block.enterprises) sets.usccs.add(e.uscc);
      for (const h of block.households) sets.households.add(h.number);
      for (const u of block.realEstate) {
        sets.units.add(u.unitNumber);
        sets.certificates.add(u.certificateNumber);
      }
    }
    expect(persons).toBe(200_000);
    expect(invalid).toEqual([]);
    expect(sets.ids.size).toBe(persons);
    expect(sets.usccs.size).toBe(enterprises);
    expect(sets.units.size).toBe(realEstate);
    expect(sets.certificates.size).toBe(realEstate);
    expect(sets.households.size).toBe(households);
  });

  it("has roughly the documented proportions", () => {
    const count = {
      persons: 0,
      deceased: 0,
      emigrated: 0,
      han: 0,
      enterprises: 0,
      active: 0,
      households: 0,
      homeless: 0,
    };
    for (const block of generateWorld({ persons: 20_000, asOf: AS_OF, seed: 5 })) {
      const owners = new Set(block.ownerships.map((o) => o.ownerId));
      count.persons += block.persons.length;
      count.deceased += block.persons.filter((p) => p.status === "DECEASED").length;
      count.emigrated += block.persons.filter((p) => p.status === "EMIGRATED").length;
      count.han += block.persons.filter((p) => p.ethnicity === "汉族").length;
      count.enterprises += block.enterprises.length;
      count.active += block.enterprises.filter((e) => e.status === "ACTIVE").length;
      count.households += block.households.length;
      count.homeless += block.households.filter((h) => !owners.has(h.headIdNumber)).length;
    }
    const share = (n: number, of: number): number => n / of;
    expect(share(count.deceased, count.persons)).toBeGreaterThan(0.01);
    expect(share(count.deceased, count.persons)).toBeLessThan(0.02);
    expect(share(count.emigrated, count.persons)).toBeGreaterThan(0.006);
    expect(share(count.emigrated, count.persons)).toBeLessThan(0.014);
    expect(share(count.han, count.persons)).toBeGreaterThan(0.85);
    expect(share(count.enterprises, count.persons)).toBeGreaterThan(0.04);
    expect(share(count.enterprises, count.persons)).toBeLessThan(0.06);
    expect(share(count.active, count.enterprises)).toBeGreaterThan(0.85);
    expect(share(count.homeless, count.households)).toBeGreaterThan(0.3);
    expect(share(count.homeless, count.households)).toBeLessThan(0.42);
  });

  it("exposes the synthetic geography and a sensible default asOf", () => {
    expect(SYNTHETIC_CITIES.map((c) => [c.code, c.name])).toEqual([
      ["9901", "合成市"],
      ["9902", "样例市"],
      ["9903", "演示市"],
    ]);
    for (const c of SYNTHETIC_CITIES)
      expect(c.districts.map((d) => d.code)).toEqual([1, 2, 3, 4, 5].map((d) => `${c.code}0${d}`));
    expect(cityOf("990102")).toBe("9901");
    expect(defaultAsOf(new Date(2025, 0, 15))).toBe("202412");
    expect(defaultAsOf(new Date(2025, 6, 1))).toBe("202506");
    expect(AS_OF_END).toBe("2025-10-31");
  });
});
