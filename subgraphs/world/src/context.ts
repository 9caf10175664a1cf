/**
 * Options resolution and the structural identifier scheme. Uniqueness across the whole world is
 * guaranteed by construction rather than by bookkeeping, because blocks are generated
 * independently and nothing may remember identifiers issued by other blocks.
 */
import { defaultAsOf, idNumberCheckChar, makeOrgCode, validatePeriod } from "@onecert/subgraph-kit/core";
import { dateFromYearDay, endOfMonth, monthIndex, periodOfIndex } from "./dates";
import { REGION_CODES } from "./names";
import { hashSeed } from "./random";
import type { Sex, WorldOptions } from "./types";

/** Persons per block; block k holds persons k*BLOCK_SIZE .. (k+1)*BLOCK_SIZE-1. */
export const BLOCK_SIZE = 1000;
/** Largest world whose identifiers are provably unique (bounded by certificate serials). */
export const MAX_PERSONS = 2_000_000;
/** Smallest world: the hand-crafted showcase households of block 0 must fit. */
export const MIN_PERSONS = 50;
/** Months of contribution history ending at asOf. */
export const WINDOW_MONTHS = 36;
/** Enterprise slots reserved per block in the organisation-code space. */
export const ENTERPRISE_SLOTS = 200;
/** Real-estate unit slots reserved per block in the certificate-serial space. */
export const UNIT_SLOTS = 4000;

/** Options with defaults applied and the month arithmetic precomputed. */
export interface WorldContext {
  seed: number;
  persons: number;
  asOf: string;
  asOfMonth: number;
  asOfYear: number;
  /** Last day of the asOf month: nothing in the world happens after it. */
  asOfEnd: string;
  /** First month of the contribution window. */
  windowStart: number;
  /** YYYYMM of every window month, index = month - windowStart (shared strings, no formatting). */
  periods: readonly string[];
  blocks: number;
  idOffset: number;
  orgOffset: number;
}

/** Applies defaults and rejects options the generator cannot honour. */
export function resolveOptions(options: WorldOptions = {}): WorldContext {
  const seed = options.seed ?? 1;
  const persons = options.persons ?? 10_000;
  const asOf = options.asOf ?? defaultAsOf();
  if (!Number.isFinite(seed)) throw new RangeError("seed must be a finite number");
  if (!Number.isInteger(persons) || persons < MIN_PERSONS || persons > MAX_PERSONS) {
    throw new RangeError(`persons must be an integer in ${MIN_PERSONS}..${MAX_PERSONS}, got ${persons}`);
  }
  const period = validatePeriod(asOf);
  if (!period.ok) throw new RangeError(`asOf: ${period.reason}`);
  // Everybody alive is born after 1900 only if the world is recent enough.
  if (asOf < "200001") throw new RangeError("asOf must be 200001 or later");
  const asOfMonth = monthIndex(asOf);
  return {
    seed,
    persons,
    asOf,
    asOfMonth,
    asOfYear: Number(asOf.slice(0, 4)),
    asOfEnd: endOfMonth(asOfMonth),
    windowStart: asOfMonth - WINDOW_MONTHS + 1,
    periods: Array.from({ length: WINDOW_MONTHS }, (_, i) =>
      periodOfIndex(asOfMonth - WINDOW_MONTHS + 1 + i),
    ),
    blocks: Math.ceil(persons / BLOCK_SIZE),
    idOffset: hashSeed(seed, 0x1d) % ID_SPACE,
    orgOffset: hashSeed(seed, 0x0c) % ORG_SPACE,
  };
}

/**
 * Id numbers: a person's global index g is mapped by an affine bijection of [0, ID_SPACE) to a
 * code that fixes (day of year, birth region, sequence slot). The birth year and the sex stay
 * free for the household logic: two persons of the same sex and birth year differ in the code,
 * hence in the day, region or sequence; different years differ in the date; different sexes
 * differ in the sequence parity. So no two persons of one world share an id number.
 */
export const ID_SPACE = 365 * REGION_CODES.length * 499;
/** Coprime to ID_SPACE (= 3 * 5^2 * 73 * 499), which makes the affine map a bijection. */
export const ID_MULTIPLIER = 1_000_003;
const ORG_SPACE = 31 ** 8;
/**
 * Coprime to 31^8, so distinct enterprise slots give distinct organisation codes; large so that
 * neighbouring slots get unrelated-looking codes. Slot * multiplier stays below 2^53.
 */
const ORG_MULTIPLIER = 2_654_435_761;

/** The id number and birth date of the person with global index g, aged `age` at asOf. */
export function identity(
  ctx: WorldContext,
  g: number,
  sex: Sex,
  age: number,
): { idNumber: string; birthDate: string } {
  const code = (g * ID_MULTIPLIER + ctx.idOffset) % ID_SPACE;
  const slot = code % 499;
  const rest = Math.floor(code / 499);
  const region = REGION_CODES[rest % REGION_CODES.length];
  const day = Math.floor(rest / REGION_CODES.length);
  let birthDate = dateFromYearDay(ctx.asOfYear - age, day);
  // Only a target age of 0 can land after asOf; moving one year back keeps the code intact.
  if (birthDate > ctx.asOfEnd) birthDate = dateFromYearDay(ctx.asOfYear - age - 1, day);
  const sequence = sex === "M" ? 2 * slot + 1 : 2 * slot + 2;
  // Assembled directly rather than through makeIdNumber: the parts are valid by construction
  // (the tests validate every generated id) and this runs once per person.
  const first17 =
    region +
    birthDate.slice(0, 4) +
    birthDate.slice(5, 7) +
    birthDate.slice(8, 10) +
    (sequence < 10 ? "00" : sequence < 100 ? "0" : "") +
    sequence;
  return { idNumber: first17 + idNumberCheckChar(first17), birthDate };
}

/** Organisation code of enterprise slot `local` of block k. */
export function orgCodeFor(ctx: WorldContext, block: number, local: number): string {
  if (local >= ENTERPRISE_SLOTS) throw new RangeError("too many enterprises in one block");
  return makeOrgCode(((block * ENTERPRISE_SLOTS + local) * ORG_MULTIPLIER + ctx.orgOffset) % ORG_SPACE);
}

/** World-unique serial (0-based) of unit slot `local` of block k; below 10^7 for MAX_PERSONS. */
export function unitSerial(block: number, local: number): number {
  if (local >= UNIT_SLOTS) throw new RangeError("too many real-estate units in one block");
  return block * UNIT_SLOTS + local;
}

/** Household number: H + region + 8 digits unique across the world (one slot per person). */
export function householdNumber(region: string, block: number, local: number): string {
  return `H${region}${String(block * BLOCK_SIZE + local + 1).padStart(8, "0")}`;
}

/** Month of a date-of-birth-based milestone, e.g. the month a person turns 60. */
export function monthTurning(birthDate: string, years: number): number {
  return (Number(birthDate.slice(0, 4)) + years) * 12 + Number(birthDate.slice(5, 7)) - 1;
}
