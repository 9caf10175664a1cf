/**
 * Random enterprises, shareholdings and real estate. Everything references persons and
 * enterprises of the same block only, so each block is self-contained.
 */
import type { BlockBuilder, Holder, Member } from "./builder";
import type { Family } from "./people";
import { dateInMonth, randomDate, randomDateFrom } from "./dates";
import { BANKS, caseNumber, cityOf, randomRegion, regionOutside, seizingAuthority } from "./names";
import { round2 } from "./random";
import type {
  EnterpriseKind,
  EnterpriseRecord,
  EnterpriseStatus,
  RealEstateRecord,
  RealEstateUse,
} from "./types";

const KINDS: readonly EnterpriseKind[] = [
  "LIMITED_LIABILITY",
  "JOINT_STOCK",
  "SOLE_PROPRIETORSHIP",
  "PARTNERSHIP",
];
const KIND_WEIGHTS = [75, 8, 10, 7];
const STATUSES: readonly EnterpriseStatus[] = ["ACTIVE", "REVOKED", "CANCELLED"];
const STATUS_WEIGHTS = [90, 6, 4];
const CAPITALS = [3, 10, 30, 50, 100, 200, 300, 500, 1000, 2000, 5000];
const BUSINESS_USES: readonly RealEstateUse[] = ["COMMERCIAL", "OFFICE", "INDUSTRIAL"];

/** Splits 100.00% into n shares of at least 1%, in hundredths of a percent. */
function splitShares(b: BlockBuilder, n: number): number[] {
  const weights = Array.from({ length: n }, () => 0.2 + b.rng.next());
  const total = weights.reduce((a, w) => a + w, 0);
  const spare = 10_000 - 100 * n;
  const cents = weights.map((w) => 100 + Math.floor((spare * w) / total));
  cents[n - 1] = 10_000 - cents.slice(0, n - 1).reduce((a, c) => a + c, 0);
  return cents;
}

/** About one enterprise per 20 persons, with legal representatives drawn from adult active persons. */
export function addRandomEnterprises(b: BlockBuilder, people: readonly Member[]): EnterpriseRecord[] {
  const rng = b.rng;
  const adults = people.filter((m) => m.rec.status === "ACTIVE" && m.age >= 22 && m.age <= 70);
  const count = Math.round((people.length / 20) * (0.8 + 0.4 * rng.next()));
  const reps: Member[] = [];
  const made: EnterpriseRecord[] = [];
  for (let i = 0; i < count && adults.length > 0; i++) {
    // A few people run several companies, which the legal-representative queries should show.
    const rep = reps.length > 0 && rng.chance(0.08) ? rng.pick(reps) : rng.pick(adults);
    reps.push(rep);
    const kind = rng.weighted(KINDS, KIND_WEIGHTS);
    const from = Math.max(1995 * 12, rep.birthMonth + 12 * 20);
    const e = b.addEnterprise({
      region: randomRegion(rng),
      kind,
      status: rng.weighted(STATUSES, STATUS_WEIGHTS),
      rep,
      establishedOn: randomDate(rng, from, b.ctx.asOfMonth),
      capital: kind === "JOINT_STOCK" ? rng.pick(CAPITALS.slice(6)) : rng.pick(CAPITALS),
    });
    const holders: Holder[] = [];
    const n = kind === "SOLE_PROPRIETORSHIP" ? 1 : kind === "PARTNERSHIP" ? rng.int(2, 3) : rng.int(1, 3);
    const cents = splitShares(b, n);
    const taken = new Set<string>();
    for (let h = 0; h < n; h++) {
      const others = b.block.enterprises;
      const asEnterprise = h > 0 && others.length > 1 && rng.chance(0.15);
      const id =
        h === 0 ? rep.rec.idNumber : asEnterprise ? rng.pick(others).uscc : rng.pick(adults).rec.idNumber;
      if (taken.has(id) || id === e.uscc) {
        // A repeated holder takes over the share instead of appearing twice.
        const last = holders[holders.length - 1];
        last.cents += cents[h];
        continue;
      }
      taken.add(id);
      holders.push({ kind: asEnterprise ? "ENTERPRISE" : "PERSON", id, cents: cents[h] });
    }
    b.addHolders(e.uscc, holders);
    made.push(e);
  }
  return made;
}

/** Registers a mortgage and/or a seizure on a unit; settled ones are released or lifted by asOf. */
export function encumber(
  b: BlockBuilder,
  unit: RealEstateRecord,
  mortgage: boolean,
  seizure: boolean,
  settled: boolean,
): void {
  const rng = b.rng;
  const asOf = b.ctx.asOfMonth;
  if (mortgage) {
    const price = rng.int(8_000, 25_000) * unit.area * (0.3 + 0.4 * rng.next());
    // Most mortgages are registered with the purchase; the rest are later refinancing.
    const registeredOn = rng.chance(0.7) ? unit.registeredOn : randomDateFrom(rng, unit.registeredOn, asOf);
    b.block.mortgages.push({
      unitNumber: unit.unitNumber,
      mortgagee: rng.pick(BANKS),
      amount: Math.max(50_000, Math.round(price / 1000) * 1000),
      registeredOn,
      releasedOn: settled ? randomDateFrom(rng, registeredOn, asOf) : null,
    });
  }
  if (seizure) {
    const seizedOn = randomDateFrom(rng, unit.registeredOn, asOf);
    b.block.seizures.push({
      unitNumber: unit.unitNumber,
      authority: seizingAuthority(rng, unit.regionCode),
      caseNumber: caseNumber(rng, Number(seizedOn.slice(0, 4)), unit.regionCode),
      seizedOn,
      liftedOn: settled ? randomDateFrom(rng, seizedOn, asOf) : null,
    });
  }
}

/** A registration date after the owner came of age, within the last 15 years. */
function registrationDate(b: BlockBuilder, owner: Member): string {
  const asOf = b.ctx.asOfMonth;
  return randomDate(b.rng, Math.min(asOf, Math.max(asOf - 180, owner.birthMonth + 12 * 22)), asOf);
}

/** Random encumbrances: ~30% mortgaged (some released), ~3% seized (some lifted). */
function randomEncumbrance(b: BlockBuilder, unit: RealEstateRecord): void {
  const rng = b.rng;
  const mortgage = rng.chance(0.3);
  const seizure = rng.chance(0.03);
  if (mortgage || seizure) encumber(b, unit, mortgage, seizure, rng.chance(0.15));
}

/** Homes for households (0: 35%, 1: 45%, 2: 15%, 3: 5%) and business units for ~30% of enterprises. */
export function addRandomRealEstate(
  b: BlockBuilder,
  families: readonly Family[],
  enterprises: readonly EnterpriseRecord[],
): void {
  const rng = b.rng;
  for (const { head, spouse } of families) {
    let homes = rng.weighted([0, 1, 2, 3], [35, 45, 15, 5]);
    if (head.rec.status === "DECEASED" && !rng.chance(0.1)) homes = 0;
    const city = cityOf(head.household.regionCode);
    for (let j = 0; j < homes; j++) {
      const local = rng.chance(j === 0 ? 0.88 : 0.7);
      const joint = spouse !== null && rng.chance(0.5);
      const unit = b.addUnit({
        region: local ? randomRegion(rng, city) : regionOutside(rng, city),
        use: "RESIDENTIAL",
        owners: joint
          ? [
              { kind: "PERSON", id: head.rec.idNumber, share: 50 },
              { kind: "PERSON", id: spouse.rec.idNumber, share: 50 },
            ]
          : [{ kind: "PERSON", id: head.rec.idNumber, share: 100 }],
        registeredOn: registrationDate(b, head),
        area: round2(45 + 135 * rng.next()),
      });
      randomEncumbrance(b, unit);
    }
  }
  for (const e of enterprises) {
    if (!rng.chance(0.3)) continue;
    const use = rng.pick(BUSINESS_USES);
    const unit = b.addUnit({
      region: e.regionCode,
      use,
      owners: [{ kind: "ENTERPRISE", id: e.uscc, share: 100 }],
      registeredOn: randomDateFrom(
        rng,
        maxDate(e.establishedOn, dateInMonth(b.ctx.asOfMonth - 180, 1)),
        b.ctx.asOfMonth,
      ),
      area: round2(use === "INDUSTRIAL" ? 300 + 9700 * rng.next() : 30 + 800 * rng.next()),
    });
    randomEncumbrance(b, unit);
  }
}

const maxDate = (a: string, b: string): string => (a > b ? a : b);
