/**
 * Random households. Ages are chosen as whole years per role with a one-year margin, because
 * the day of birth comes from the id scheme and can move an exact age down by one.
 */
import type { BlockBuilder, Member } from "./builder";
import { randomDate } from "./dates";
import { personName, randomRegion, surnameOf } from "./names";
import type { HouseholdRelation, MaritalStatus, Sex } from "./types";

/** A generated household: the members later stages attach property to. */
export interface Family {
  head: Member;
  spouse: Member | null;
}

type Role = "H" | "S" | "C" | "P" | "G";

const COMPOSITIONS: Record<number, { roles: Role[][]; weights: number[] }> = {
  1: { roles: [["H"]], weights: [1] },
  2: {
    roles: [
      ["H", "S"],
      ["H", "C"],
      ["H", "P"],
    ],
    weights: [70, 20, 10],
  },
  3: {
    roles: [
      ["H", "S", "C"],
      ["H", "C", "C"],
      ["H", "S", "P"],
    ],
    weights: [80, 8, 12],
  },
  4: {
    roles: [
      ["H", "S", "C", "C"],
      ["H", "S", "C", "P"],
      ["H", "S", "P", "P"],
      ["H", "S", "C", "G"],
    ],
    weights: [55, 25, 8, 12],
  },
  5: {
    roles: [
      ["H", "S", "C", "P", "P"],
      ["H", "S", "C", "C", "P"],
      ["H", "S", "C", "C", "G"],
    ],
    weights: [45, 30, 25],
  },
};

const SIZES = [1, 2, 3, 4, 5];
const SIZE_WEIGHTS = [25, 30, 25, 15, 5];

/** Probabilities tuned so about 1.5% of all persons are deceased and 1% emigrated. */
const DECEASED_RATE = 0.19;
const EMIGRATED_RATE = 0.016;

const other = (s: Sex): Sex => (s === "M" ? "F" : "M");
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Fills the rest of the block with random households, then marks some deceased or emigrated. */
export function addRandomHouseholds(b: BlockBuilder): Family[] {
  const families: Family[] = [];
  const first = b.members.length;
  while (b.remaining > 0) {
    const size = Math.min(b.remaining, b.rng.weighted(SIZES, SIZE_WEIGHTS));
    const c = COMPOSITIONS[size] ?? { roles: [["H"]], weights: [1] };
    families.push(addFamily(b, b.rng.weighted(c.roles, c.weights)));
  }
  assignStatuses(b, b.members.slice(first));
  return families;
}

function addFamily(b: BlockBuilder, roles: readonly Role[]): Family {
  const rng = b.rng;
  const has = (r: Role): boolean => roles.includes(r);
  const region = randomRegion(rng);
  const household = b.addHousehold(region);
  const headAge = has("G")
    ? rng.int(52, 80)
    : has("P")
      ? rng.int(25, 55)
      : has("C")
        ? rng.int(26, 62)
        : rng.int(23, 85);
  const headSex: Sex = has("S") ? (rng.chance(0.65) ? "M" : "F") : rng.chance(0.5) ? "M" : "F";
  const headName = personName(rng, headSex);
  const headSurname = surnameOf(headName);
  const person = (
    sex: Sex,
    age: number,
    relation: HouseholdRelation,
    surname?: string,
    status?: MaritalStatus,
  ): Member => b.addPerson(household, { sex, age, relation, surname, maritalStatus: status });

  const head = person(headSex, headAge, "HEAD", headSurname, singleStatus(b, headAge, has("C")));
  let spouse: Member | null = null;
  let spouseAge = headAge;
  if (has("S")) {
    // Within 7 whole years, so the exact difference stays within 8 years.
    spouseAge = clamp(headAge + rng.int(-7, 7), 21, 92);
    spouse = person(other(headSex), spouseAge, "SPOUSE");
    b.marry(head, spouse);
  }
  const father = headSex === "M" ? head : spouse;
  const childSurname = father ? surnameOf(father.rec.name) : headSurname;
  const younger = Math.min(headAge, spouseAge);
  let firstChild: { member: Member; age: number } | null = null;
  for (const role of roles) {
    if (role === "C") {
      // 17..36 whole years below the younger parent keeps every parent 16..45 years older.
      const gap: number =
        has("G") && !firstChild
          ? rng.int(22, Math.min(34, younger - 20))
          : rng.int(17, Math.min(36, younger));
      const age: number = younger - gap;
      const sex: Sex = rng.chance(0.5) ? "M" : "F";
      const status: MaritalStatus = age >= 25 && rng.chance(has("G") ? 0.6 : 0.1) ? "DIVORCED" : "SINGLE";
      const child = person(sex, age, "CHILD", childSurname, status);
      firstChild ??= { member: child, age };
    } else if (role === "G" && firstChild) {
      const age = firstChild.age - rng.int(20, Math.min(30, firstChild.age));
      person(rng.chance(0.5) ? "M" : "F", age, "GRANDCHILD", surnameOf(firstChild.member.rec.name));
    }
  }
  const parents = roles.filter((r) => r === "P").length;
  if (parents > 0) {
    const p1Age = clamp(headAge + rng.int(20, 38), headAge + 20, 95);
    const p1Sex: Sex = parents === 2 ? "M" : rng.chance(0.5) ? "M" : "F";
    const p1Status: MaritalStatus = parents === 2 ? "SINGLE" : rng.chance(0.8) ? "WIDOWED" : "DIVORCED";
    const p1 = person(p1Sex, p1Age, "PARENT", p1Sex === "M" ? headSurname : undefined, p1Status);
    if (parents === 2) {
      const p2 = person("F", clamp(p1Age + rng.int(-5, 5), headAge + 20, 95), "PARENT");
      b.marry(p1, p2);
    }
  }
  return { head, spouse };
}

function singleStatus(b: BlockBuilder, age: number, hasChildren: boolean): MaritalStatus {
  const rng = b.rng;
  if (hasChildren) return rng.chance(age > 50 ? 0.5 : 0.2) ? "WIDOWED" : "DIVORCED";
  if (age < 30) return rng.chance(0.9) ? "SINGLE" : "DIVORCED";
  if (age <= 60) return rng.weighted<MaritalStatus>(["SINGLE", "DIVORCED", "WIDOWED"], [40, 45, 15]);
  return rng.weighted<MaritalStatus>(["WIDOWED", "DIVORCED", "SINGLE"], [60, 20, 20]);
}

/** Deaths fall on older persons without a recorded spouse, so spouse links stay reciprocal. */
function assignStatuses(b: BlockBuilder, members: readonly Member[]): void {
  const rng = b.rng;
  const asOf = b.ctx.asOfMonth;
  for (const m of members) {
    if (m.age >= 60 && m.rec.spouseIdNumber === null && rng.chance(DECEASED_RATE)) {
      b.kill(m, randomDate(rng, asOf - 96, asOf));
    } else if (m.age >= 20 && m.age <= 65 && rng.chance(EMIGRATED_RATE)) {
      m.rec.status = "EMIGRATED";
    }
  }
}
