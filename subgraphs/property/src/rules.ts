import {
  badUserInput,
  conflict,
  notFound,
  validateCertificateNumber,
  validateIdNumber,
  validateUscc,
  type ChangeEvent,
  type Queryable,
} from "@onecert/subgraph-kit";
import { lockUnit, type NewOwner, type UnitState } from "./writes";

/** Most owners one transfer may register. */
export const MAX_OWNERS = 20;
/** Largest secured amount the registry stores (numeric(14,2)), in yuan. */
export const MAX_AMOUNT = 999_999_999_999.99;

const cents = (value: number): number => Math.round(value * 100);
const hasCents = (value: number): boolean => Math.abs(value * 100 - cents(value)) < 1e-6;

/** The owners of a transfer, checked: valid ids for their kind, no one twice, shares positive and summing to 100. */
export function checkOwners(owners: readonly NewOwner[]): NewOwner[] {
  if (owners.length === 0 || owners.length > MAX_OWNERS) {
    throw badUserInput(`owners has ${owners.length} entries; 1 to ${MAX_OWNERS}`, "owners");
  }
  const seen = new Set<string>();
  owners.forEach((owner, index) => {
    const where = `owners[${index}]`;
    const check = owner.kind === "PERSON" ? validateIdNumber(owner.id) : validateUscc(owner.id);
    const noun = owner.kind === "PERSON" ? "an ID number" : "a unified social credit code";
    if (!check.ok)
      throw badUserInput(`${where}.id ${JSON.stringify(owner.id)} is not ${noun}: ${check.reason}`, "owners");
    if (seen.has(owner.id)) throw badUserInput(`${where}: ${owner.id} is listed twice`, "owners");
    seen.add(owner.id);
    if (!(owner.share > 0) || owner.share > 100 || !hasCents(owner.share)) {
      throw badUserInput(
        `${where}.share ${owner.share} must be above 0, at most 100, in hundredths`,
        "owners",
      );
    }
  });
  const total = owners.reduce((sum, owner) => sum + cents(owner.share), 0);
  if (total !== 10_000) throw badUserInput(`owners' shares sum to ${total / 100}, not 100`, "owners");
  return owners.map((owner) => ({ ...owner, share: cents(owner.share) / 100 }));
}

/** A secured amount in yuan, checked: above 0, at most MAX_AMOUNT, whole cents. */
export function checkAmount(amount: number): number {
  if (!Number.isFinite(amount) || amount <= 0 || amount > MAX_AMOUNT || !hasCents(amount)) {
    throw badUserInput(`amount ${amount} must be above 0 and at most ${MAX_AMOUNT} yuan, in cents`, "amount");
  }
  return cents(amount) / 100;
}

/** The unit locked for a change; NOT_FOUND when unknown. */
export async function unitFor(tx: Queryable, unitNumber: string): Promise<UnitState> {
  const unit = await lockUnit(tx, unitNumber);
  if (!unit) throw notFound(`no real-estate unit ${unitNumber} is registered`, "unitNumber");
  return unit;
}

/** CONFLICT when a seizure in force forbids the change. */
export function requireNotSeized(unit: UnitState, change: string): void {
  if (unit.activeSeizures.length > 0) {
    const cases = unit.activeSeizures.join(", ");
    throw conflict(`${change} is not allowed on a seized unit: ${unit.unitNumber} is seized (case ${cases})`);
  }
}

/** CONFLICT when `date` (argument `argument`) is before the unit's current registration. */
export function requireAfterRegistration(unit: UnitState, date: string, argument: string): void {
  if (date < unit.registeredOn) {
    throw conflict(`${argument} ${date} is before the unit's registration on ${unit.registeredOn}`, argument);
  }
}

/**
 * A new certificate number in the same format as the unit's current one: its province and city,
 * the year of registration and a serial of this registry's own.
 */
export function nextCertificate(current: string, registeredOn: string, serial: number): string {
  const parts = /^(.)\(\d{4}\)(.+)不动产权第\d{7}号$/u.exec(current);
  if (!parts) throw new Error(`cannot read certificate number ${current}`);
  const issued = `${parts[1]}(${registeredOn.slice(0, 4)})${parts[2]}不动产权第${String(serial).padStart(7, "0")}号`;
  const check = validateCertificateNumber(issued);
  if (!check.ok) throw new Error(`issued an invalid certificate number ${issued}: ${check.reason}`);
  return issued;
}

/** Events of a change to a unit: the unit itself, and every party whose `realEstate` list shows it. */
export function unitEvents(
  unitNumber: string,
  parties: readonly { kind: string; id: string }[],
  tags: readonly string[] = [],
): ChangeEvent[] {
  const seen = new Set<string>();
  const events: ChangeEvent[] = [{ type: "RealEstate", key: unitNumber, tags }];
  for (const party of parties) {
    if (seen.has(party.id)) continue;
    seen.add(party.id);
    const type = party.kind === "PERSON" ? "Person" : "Enterprise";
    events.push({ type, key: party.id, tags: [`RealEstate:${unitNumber}`] });
  }
  return events;
}
