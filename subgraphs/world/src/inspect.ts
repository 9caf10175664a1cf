/**
 * Read-only views of a block, used by the tests to check that samples are true to their
 * descriptions. They compute facts the way a verifier would (consecutive paid months ending at
 * asOf, homes owned per city) so the showcase is checked against the rules, not the generator.
 */
import { monthIndex, periodOfIndex } from "./dates";
import type {
  ContributionRecord,
  EnterpriseRecord,
  InsuranceType,
  PersonRecord,
  RealEstateRecord,
  WorldBlock,
} from "./types";

/** Lookups over one block. */
export interface BlockIndex {
  persons: Map<string, PersonRecord>;
  enterprises: Map<string, EnterpriseRecord>;
  units: Map<string, RealEstateRecord>;
  members: Map<string, PersonRecord[]>;
  /** Units per owner id (person id number or USCC). */
  owned: Map<string, RealEstateRecord[]>;
  contributions: Map<string, ContributionRecord[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the lookups of a block. */
export function indexBlock(block: WorldBlock): BlockIndex {
  const units = new Map(block.realEstate.map((u) => [u.unitNumber, u]));
  const index: BlockIndex = {
    persons: new Map(block.persons.map((p) => [p.idNumber, p])),
    enterprises: new Map(block.enterprises.map((e) => [e.uscc, e])),
    units,
    members: new Map(),
    owned: new Map(),
    contributions: new Map(),
  };
  for (const p of block.persons) push(index.members, p.householdNumber, p);
  for (const o of block.ownerships) {
    const unit = units.get(o.unitNumber);
    if (unit) push(index.owned, o.ownerId, unit);
  }
  for (const c of block.contributions) push(index.contributions, c.idNumber, c);
  return index;
}

/** Months in a row, ending at asOf, with a PAID or BACK_PAID record of the given type. */
export function consecutivePaidMonths(
  index: BlockIndex,
  idNumber: string,
  type: InsuranceType,
  asOf: string,
): number {
  const paid = new Set(
    (index.contributions.get(idNumber) ?? [])
      .filter((c) => c.insuranceType === type && c.paymentStatus !== "ARREARS")
      .map((c) => c.period),
  );
  let month = monthIndex(asOf);
  let count = 0;
  while (paid.has(periodOfIndex(month))) {
    count++;
    month--;
  }
  return count;
}

/** Units an owner holds a share of, optionally only those in one city (4-digit code). */
export function unitsOwned(index: BlockIndex, ownerId: string, city?: string): RealEstateRecord[] {
  const units = index.owned.get(ownerId) ?? [];
  return city === undefined ? units : units.filter((u) => u.regionCode.startsWith(city));
}
