/**
 * Random social-insurance histories. Contributions never follow a death and stop at least 12
 * months before asOf for emigrants, because those are the rules verifiers test for.
 */
import type { BlockBuilder, Member } from "./builder";
import { monthTurning } from "./context";
import { dateInMonth, randomDate } from "./dates";
import {
  addEmployment,
  addPension,
  addResidentPension,
  retirementAge,
  type EmploymentPlan,
} from "./insurance";
import type { EnrolmentStatus, PensionStatus } from "./types";

const GAP_KINDS = ["MISSING", "ARREARS", "BACK_PAID"] as const;
const GAP_WEIGHTS = [50, 30, 20];
/**
 * Yearly resident levels, all multiples of 12, and employee bases in whole thousands: every amount
 * is then a whole number of yuan. That is not cosmetic: a single fractional amount makes V8 box
 * the number fields of every contribution record, which costs ~20% of generation speed.
 */
const RESIDENT_LEVELS = [300, 600, 900, 1200, 1500, 1800, 2400, 3000];

/** Enrolments, contributions and pensions for the given (random) members of the block. */
export function addRandomInsurance(b: BlockBuilder, people: readonly Member[]): void {
  const { rng, ctx } = b;
  const employers = b.block.enterprises.filter((e) => e.status === "ACTIVE").map((e) => e.uscc);
  for (const m of people) {
    const retireMonth = monthTurning(m.rec.birthDate, retirementAge(m.rec.sex));
    const retired = retireMonth + 1 <= ctx.asOfMonth && retireMonth + 1 < m.deathMonth;
    const adultMonth = monthTurning(m.rec.birthDate, 18) + 1;
    const first = Math.max(ctx.windowStart, adultMonth);
    let last = Math.min(ctx.asOfMonth, m.deathMonth - 1, retireMonth);
    if (m.rec.status === "EMIGRATED") last = Math.min(last, ctx.asOfMonth - 12 - rng.int(0, 24));
    let employed = false;
    if (first <= last && employers.length > 0 && rng.chance(0.55)) {
      const status: EnrolmentStatus =
        last === ctx.asOfMonth ? "1" : retired || m.deathMonth <= ctx.asOfMonth ? "3" : "2";
      addEmployment(b, m, randomPlan(b, m, first, last, adultMonth, employers, status));
      employed = true;
    } else if (first <= last && last === ctx.asOfMonth && m.rec.status === "ACTIVE" && rng.chance(0.35)) {
      const start = rng.chance(0.8) ? first : Math.max(first, ctx.asOfMonth - rng.int(0, 30));
      addResidentPension(b, m, {
        start,
        end: last,
        yearlyLevel: rng.pick(RESIDENT_LEVELS),
        enrolledOn: enrolmentDate(b, start, adultMonth),
      });
    }
    if (retired) {
      const status: PensionStatus =
        m.rec.status === "DECEASED"
          ? "STOPPED"
          : m.rec.status === "EMIGRATED" || rng.chance(0.03)
            ? "SUSPENDED"
            : "RECEIVING";
      addPension(b, m, {
        monthlyAmount: 1800 + 7200 * rng.next() ** 2,
        status,
        enrolledOn: employed ? null : dateInMonth(m.birthMonth + 12 * rng.int(20, 30), rng.int(1, 28)),
      });
    }
  }
}

/** Enrolment date: years back when records start with the window, else the first month. */
function enrolmentDate(b: BlockBuilder, start: number, adultMonth: number): string {
  if (start > b.ctx.windowStart) return dateInMonth(start, b.rng.int(1, 28));
  return randomDate(b.rng, Math.max(adultMonth, b.ctx.windowStart - 240), b.ctx.windowStart);
}

function randomPlan(
  b: BlockBuilder,
  m: Member,
  first: number,
  last: number,
  adultMonth: number,
  employers: readonly string[],
  status: EnrolmentStatus,
): EmploymentPlan {
  const { rng, ctx } = b;
  let start = first;
  const r = rng.next();
  // Some people joined recently, so shorter histories (even under 12 months) exist.
  if (r < 0.08) start = Math.max(first, ctx.asOfMonth - rng.int(0, 10));
  else if (r < 0.15) start = Math.max(first, ctx.asOfMonth - rng.int(11, 30));
  if (start > last) start = first;
  const employer = rng.pick(employers);
  const history = [{ from: start, uscc: employer }];
  if (last > start && employers.length > 1 && rng.chance(0.1)) {
    const next = rng.pick(employers.filter((e) => e !== employer));
    history.push({ from: rng.int(start + 1, last), uscc: next });
  }
  let gap: EmploymentPlan["gap"];
  if (rng.chance(0.12)) {
    const length = Math.min(rng.int(1, 3), last - start - 1);
    if (length >= 1) {
      const from = rng.int(start + 1, last - length);
      gap = { from, to: from + length - 1, kind: rng.weighted(GAP_KINDS, GAP_WEIGHTS) };
    }
  }
  return {
    base: 1000 * (4 + Math.round(26 * rng.next() ** 2.5)),
    start,
    end: last,
    employers: history,
    gap,
    maternity: m.rec.sex === "F" && rng.chance(0.6),
    enrolledOn: enrolmentDate(b, start, adultMonth),
    status,
  };
}
