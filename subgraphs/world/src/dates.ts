/**
 * Calendar arithmetic for the generator. Months are handled as a single integer
 * (year * 12 + month - 1) because contribution windows step month by month.
 */
import { daysInMonth, isLeapYear } from "@onecert/subgraph-kit/core";

export { monthIndex, periodOfIndex } from "@onecert/subgraph-kit/core";
import type { Rng } from "./random";

/** The month index of an ISO date. */
export function monthIndexOfDate(iso: string): number {
  return Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** YYYY-MM-DD of numbers. */
function isoDate(year: number, month: number, day: number): string {
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** A day of a month index, clamped to the month's length. */
export function dateInMonth(monthIndex: number, day: number): string {
  const y = Math.floor(monthIndex / 12);
  const m = (monthIndex % 12) + 1;
  return isoDate(y, m, Math.min(day, daysInMonth(y, m)));
}

/** Last day of a month index. */
export function endOfMonth(monthIndex: number): string {
  return dateInMonth(monthIndex, 31);
}

/** A random day (1-28) within the month indexes [from, to]; an empty range means month `to`. */
export function randomDate(rng: Rng, fromMonth: number, toMonth: number): string {
  return dateInMonth(rng.int(Math.min(fromMonth, toMonth), toMonth), rng.int(1, 28));
}

/** A random date not before `from` (ISO) and not after month `toMonth`. */
export function randomDateFrom(rng: Rng, from: string, toMonth: number): string {
  const d = randomDate(rng, monthIndexOfDate(from), toMonth);
  return d < from ? from : d;
}

const CUMULATIVE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/** The date of a zero-based day of the year; days 0..364 exist in every year. */
export function dateFromYearDay(year: number, dayOfYear: number): string {
  const leap = isLeapYear(year) ? 1 : 0;
  let month = 1;
  while (month < 12 && dayOfYear >= (CUMULATIVE[month] ?? 365) + (month >= 2 ? leap : 0)) month++;
  const start = (CUMULATIVE[month - 1] ?? 0) + (month > 2 ? leap : 0);
  return isoDate(year, month, dayOfYear - start + 1);
}

/** Full years from birth to the reference date (both ISO). */
export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
