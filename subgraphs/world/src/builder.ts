/**
 * The primitives a block is assembled from. Both the hand-crafted showcase and the random
 * population go through them, so the showcase obeys exactly the same identifier scheme.
 */
import { makeUnitNumber, makeUscc } from "@onecert/subgraph-kit/core";
import { householdNumber, identity, orgCodeFor, unitSerial, BLOCK_SIZE, type WorldContext } from "./context";
import { ageOn, monthIndexOfDate } from "./dates";
import {
  brandName,
  businessAddress,
  cityName,
  ethnicity,
  homeAddress,
  personName,
  phoneNumber,
  INDUSTRIES,
  SYNTHETIC_PROVINCE,
  type Industry,
} from "./names";
import type { Rng } from "./random";
import type {
  EnterpriseKind,
  EnterpriseRecord,
  EnterpriseStatus,
  HouseholdRecord,
  HouseholdRelation,
  MaritalStatus,
  PartyKind,
  PersonRecord,
  RealEstateRecord,
  RealEstateUse,
  Sex,
  WorldBlock,
} from "./types";

/** A person plus the facts later stages need without re-parsing dates. */
export interface Member {
  rec: PersonRecord;
  age: number;
  birthMonth: number;
  /** Month index of death, or +Infinity. */
  deathMonth: number;
  crafted: boolean;
  household: HouseholdRecord;
}

export interface PersonSpec {
  sex: Sex;
  /** Age in years at asOf as used for the birth year; the exact age may be one less. */
  age: number;
  relation: HouseholdRelation;
  surname?: string;
  maritalStatus?: MaritalStatus;
}

export interface Holder {
  kind: PartyKind;
  id: string;
  /** Hundredths of a percent, so shares sum to exactly 100.00. */
  cents: number;
}

const KIND_SUFFIX: Record<EnterpriseKind, string> = {
  LIMITED_LIABILITY: "有限公司",
  JOINT_STOCK: "股份有限公司",
  SOLE_PROPRIETORSHIP: "经营部",
  PARTNERSHIP: "合伙企业（有限合伙）",
};

/** Accumulates one block; every add* returns the record it appended. */
export class BlockBuilder {
  readonly block: WorldBlock;
  readonly members: Member[] = [];
  private unitCount = 0;

  constructor(
    readonly ctx: WorldContext,
    readonly index: number,
    readonly rng: Rng,
    readonly capacity: number,
  ) {
    this.block = {
      index,
      persons: [],
      households: [],
      enterprises: [],
      shareholdings: [],
      realEstate: [],
      ownerships: [],
      mortgages: [],
      seizures: [],
      enrolments: [],
      contributions: [],
      pensions: [],
    };
  }

  get remaining(): number {
    return this.capacity - this.members.length;
  }

  addHousehold(region: string): HouseholdRecord {
    const h: HouseholdRecord = {
      number: householdNumber(region, this.index, this.block.households.length),
      regionCode: region,
      address: homeAddress(this.rng, region),
      headIdNumber: "",
    };
    this.block.households.push(h);
    return h;
  }

  addPerson(household: HouseholdRecord, spec: PersonSpec, crafted = false): Member {
    if (this.members.length >= this.capacity) throw new RangeError("block is full");
    const g = this.index * BLOCK_SIZE + this.members.length;
    const { idNumber, birthDate } = identity(this.ctx, g, spec.sex, spec.age);
    const rec: PersonRecord = {
      idNumber,
      name: personName(this.rng, spec.sex, spec.surname),
      sex: spec.sex,
      birthDate,
      ethnicity: ethnicity(this.rng),
      status: "ACTIVE",
      deceasedOn: null,
      maritalStatus: spec.maritalStatus ?? "SINGLE",
      spouseIdNumber: null,
      regionCode: household.regionCode,
      address: household.address,
      phone: phoneNumber(this.rng),
      householdNumber: household.number,
      relation: spec.relation,
    };
    if (spec.relation === "HEAD") household.headIdNumber = idNumber;
    const m: Member = {
      rec,
      age: ageOn(birthDate, this.ctx.asOfEnd),
      birthMonth: monthIndexOfDate(birthDate),
      deathMonth: Number.POSITIVE_INFINITY,
      crafted,
      household,
    };
    this.block.persons.push(rec);
    this.members.push(m);
    return m;
  }

  marry(a: Member, b: Member): void {
    a.rec.maritalStatus = "MARRIED";
    b.rec.maritalStatus = "MARRIED";
    a.rec.spouseIdNumber = b.rec.idNumber;
    b.rec.spouseIdNumber = a.rec.idNumber;
  }

  kill(m: Member, deceasedOn: string): void {
    m.rec.status = "DECEASED";
    m.rec.deceasedOn = deceasedOn;
    m.deathMonth = monthIndexOfDate(deceasedOn);
  }

  addEnterprise(e: {
    region: string;
    kind: EnterpriseKind;
    status: EnterpriseStatus;
    rep: Member;
    establishedOn: string;
    capital: number;
    industry?: Industry;
  }): EnterpriseRecord {
    const industry = e.industry ?? this.rng.pick(INDUSTRIES);
    const orgCode = orgCodeFor(this.ctx, this.index, this.block.enterprises.length);
    const rec: EnterpriseRecord = {
      uscc: makeUscc("9", "1", e.region, orgCode),
      name: cityName(e.region) + brandName(this.rng) + industry.word + KIND_SUFFIX[e.kind],
      kind: e.kind,
      status: e.status,
      registeredCapital: e.capital,
      establishedOn: e.establishedOn,
      regionCode: e.region,
      address: businessAddress(this.rng, e.region),
      businessScope: industry.scope,
      legalRepresentativeIdNumber: e.rep.rec.idNumber,
    };
    this.block.enterprises.push(rec);
    return rec;
  }

  addHolders(uscc: string, holders: readonly Holder[]): void {
    for (const h of holders) {
      this.block.shareholdings.push({ uscc, holderKind: h.kind, holderId: h.id, share: h.cents / 100 });
    }
  }

  /** A unit whose number and certificate serial come from the block's reserved slot range. */
  addUnit(u: {
    region: string;
    use: RealEstateUse;
    owners: readonly { kind: PartyKind; id: string; share: number }[];
    registeredOn: string;
    area: number;
  }): RealEstateRecord {
    const serial = unitSerial(this.index, this.unitCount++);
    const inParcel = serial % 100;
    const rng = this.rng;
    const rec: RealEstateRecord = {
      unitNumber: makeUnitNumber({
        region: u.region,
        cadastralDistrict: rng.int(1, 12),
        subDistrict: rng.int(1, 30),
        parcelCode: u.use === "INDUSTRIAL" && rng.chance(0.3) ? "JC" : "GB",
        parcelSequence: Math.floor(serial / 100),
        fixture: "F",
        // building (1-5) * 10^4 + floor (1-10) * 100 + door (1-2): a bijection of serial % 100.
        unit:
          (1 + Math.floor(inParcel / 20)) * 10_000 +
          (1 + Math.floor((inParcel % 20) / 2)) * 100 +
          1 +
          (inParcel % 2),
      }),
      // Same format as makeCertificateNumber without its validation, which costs more than the
      // rest of the unit; the tests validate every generated certificate number.
      certificateNumber: `${SYNTHETIC_PROVINCE.abbreviation}(${u.registeredOn.slice(0, 4)})${cityName(u.region)}不动产权第${String(serial + 1).padStart(7, "0")}号`,
      regionCode: u.region,
      address: u.use === "RESIDENTIAL" ? homeAddress(rng, u.region) : businessAddress(rng, u.region),
      use: u.use,
      area: u.area,
      registeredOn: u.registeredOn,
    };
    this.block.realEstate.push(rec);
    for (const o of u.owners) {
      this.block.ownerships.push({
        unitNumber: rec.unitNumber,
        ownerKind: o.kind,
        ownerId: o.id,
        share: o.share,
      });
    }
    return rec;
  }
}
