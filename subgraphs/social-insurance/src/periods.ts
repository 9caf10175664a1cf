/**
 * Contribution months as integers (year * 12 + month - 1), so that stepping back across a year
 * boundary is plain subtraction.
 */

/** Month index of a YYYYMM period. */
export function monthIndex(period: string): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(4, 6)) - 1;
}

/** The YYYYMM period of a month index. */
export function periodOfIndex(index: number): string {
  const month = (index % 12) + 1;
  return `${Math.floor(index / 12)}${month < 10 ? "0" : ""}${month}`;
}

/** The current month in local time, like the toolkit's id-number check; the clock is injectable. */
export function currentPeriod(now: Date = new Date()): string {
  return periodOfIndex(now.getFullYear() * 12 + now.getMonth());
}

/** The month before the current one: the latest month whose contributions are normally settled. */
export function defaultAsOf(now: Date = new Date()): string {
  return periodOfIndex(monthIndex(currentPeriod(now)) - 1);
}
