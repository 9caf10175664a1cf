/**
 * Contribution periods (YYYYMM) and month indexes (year * 12 + month - 1), so that stepping
 * back across a year boundary is plain subtraction. One helper for the registries and the
 * synthetic-world generator.
 */

/** Month index of a YYYYMM period. */
export function monthIndex(period: string): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(4, 6)) - 1;
}

// The generator formats the same few hundred periods millions of times; sharing the strings
// saves both the formatting and the garbage.
const PERIODS = new Map<number, string>();

/** The YYYYMM period of a month index. */
export function periodOfIndex(index: number): string {
  let period = PERIODS.get(index);
  if (period === undefined) {
    const month = (index % 12) + 1;
    period = `${Math.floor(index / 12)}${month < 10 ? "0" : ""}${month}`;
    if (PERIODS.size < 10_000) PERIODS.set(index, period);
  }
  return period;
}

/** The current month in local time, like the toolkit's id-number check; the clock is injectable. */
export function currentPeriod(now: Date = new Date()): string {
  return periodOfIndex(now.getFullYear() * 12 + now.getMonth());
}

/** The month before the current one: the latest month whose contributions are normally settled. */
export function defaultAsOf(now: Date = new Date()): string {
  return periodOfIndex(monthIndex(currentPeriod(now)) - 1);
}
