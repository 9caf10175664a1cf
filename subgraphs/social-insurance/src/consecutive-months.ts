import { COUNTED_PAYMENTS, type PaymentStatus } from "./codes";
import { monthIndex } from "@onecert/subgraph-kit";

/** One monthly record of a single insurance type, as far as continuity is concerned. */
export interface MonthRecord {
  period: string;
  paymentStatus: PaymentStatus;
}

/**
 * Consecutive months ending at `asOf` (YYYYMM, inclusive) with a PAID or BACK_PAID record.
 * A month in arrears or without a record ends the run; records after `asOf` are ignored, so
 * the answer for a past month does not change when later months are paid.
 */
export function consecutiveMonths(periods: Iterable<MonthRecord>, asOf: string): number {
  const paid = new Set<number>();
  for (const record of periods) {
    if (COUNTED_PAYMENTS.has(record.paymentStatus)) paid.add(monthIndex(record.period));
  }
  let month = monthIndex(asOf);
  let run = 0;
  while (paid.has(month)) {
    run += 1;
    month -= 1;
  }
  return run;
}
