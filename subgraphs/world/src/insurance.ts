/**
 * Social insurance: enrolments, monthly contributions over the window ending at asOf, and
 * pensions. This is the bulk of the world's records, so the contribution loop avoids any
 * per-record work beyond building the object.
 */
import type { BlockBuilder, Member } from "./builder";
import { monthTurning } from "./context";
import { dateInMonth } from "./dates";
import { round2 } from "./random";
import type {
  ContributionRecord,
  EnrolmentStatus,
  InsuranceType,
  PaymentStatus,
  PensionStatus,
} from "./types";

/** Employer and personal rates per insurance type. */
export const RATES: Readonly<Record<InsuranceType, readonly [employer: number, personal: number]>> = {
  "110": [0.16, 0.08],
  "170": [0, 1],
  "210": [0.005, 0.005],
  "310": [0.08, 0.02],
  "410": [0.004, 0],
  "510": [0.008, 0],
};

const EMPLOYEE_TYPES: readonly InsuranceType[] = ["110", "210", "310", "410"];
const WITH_MATERNITY: readonly InsuranceType[] = ["110", "210", "310", "410", "510"];

/** What an employed person's contribution history looks like. */
export interface EmploymentPlan {
  /** Monthly contribution base in yuan. */
  base: number;
  /** First and last month index with records, inclusive, both inside the window. */
  start: number;
  end: number;
  /** Employers in time order; the first applies from `start`. */
  employers: readonly { from: number; uscc: string }[];
  /** Months without a PAID record: either missing or recorded with the given status. */
  gap?: { from: number; to: number; kind: "MISSING" | Exclude<PaymentStatus, "PAID"> };
  maternity: boolean;
  enrolledOn: string;
  status: EnrolmentStatus;
}

/** Retirement age by sex, as the synthetic world applies it. */
export function retirementAge(sex: "M" | "F"): number {
  return sex === "M" ? 60 : 55;
}

/** First day of the month after reaching retirement age. */
function retirementDate(m: Member): string {
  return dateInMonth(monthTurning(m.rec.birthDate, retirementAge(m.rec.sex)) + 1, 1);
}

/** One contribution; a single literal site keeps every record on one hidden class. */
function row(
  idNumber: string,
  period: string,
  insuranceType: InsuranceType,
  base: number,
  employerAmount: number,
  personalAmount: number,
  employerUscc: string | null,
  paymentStatus: PaymentStatus,
): ContributionRecord {
  return {
    idNumber,
    period,
    insuranceType,
    base,
    employerAmount,
    personalAmount,
    employerUscc,
    paymentStatus,
  };
}

/** Enrolments in 110/210/310/410 (and 510) plus one record per type and month of the plan. */
export function addEmployment(b: BlockBuilder, m: Member, plan: EmploymentPlan): void {
  const idNumber = m.rec.idNumber;
  const base = plan.base;
  const maternity = plan.maternity && m.rec.sex === "F";
  const amount = (type: InsuranceType, which: 0 | 1): number => round2(base * RATES[type][which]);
  const e110 = amount("110", 0);
  const p110 = amount("110", 1);
  const e210 = amount("210", 0);
  const p210 = amount("210", 1);
  const e310 = amount("310", 0);
  const p310 = amount("310", 1);
  const e410 = amount("410", 0);
  const e510 = amount("510", 0);
  const out: ContributionRecord[] = b.block.contributions;
  const periods = b.ctx.periods;
  const first = b.ctx.windowStart;
  if (plan.start < first || plan.end > b.ctx.asOfMonth) throw new RangeError("plan outside the window");
  const employers = plan.employers;
  const gap = plan.gap;
  let e = 0;
  // The hottest loop of the generator: no per-record lookups beyond building the objects.
  for (let month = plan.start; month <= plan.end; month++) {
    let status: PaymentStatus = "PAID";
    if (gap !== undefined && month >= gap.from && month <= gap.to) {
      if (gap.kind === "MISSING") continue;
      status = gap.kind;
    }
    while (e + 1 < employers.length && (employers[e + 1]?.from ?? Infinity) <= month) e++;
    const uscc = employers[e]?.uscc ?? null;
    const period = periods[month - first];
    out.push(
      row(idNumber, period, "110", base, e110, p110, uscc, status),
      row(idNumber, period, "210", base, e210, p210, uscc, status),
      row(idNumber, period, "310", base, e310, p310, uscc, status),
      row(idNumber, period, "410", base, e410, 0, uscc, status),
    );
    if (maternity) out.push(row(idNumber, period, "510", base, e510, 0, uscc, status));
  }
  const current = employers[employers.length - 1]?.uscc ?? null;
  for (const t of maternity ? WITH_MATERNITY : EMPLOYEE_TYPES) {
    b.block.enrolments.push({
      idNumber,
      insuranceType: t,
      status: plan.status,
      employerUscc: current,
      enrolledOn: plan.enrolledOn,
    });
  }
}

/** Resident pension (170): personal contributions only, at a yearly level paid monthly. */
export function addResidentPension(
  b: BlockBuilder,
  m: Member,
  p: { start: number; end: number; yearlyLevel: number; enrolledOn: string },
): void {
  const monthly = round2(p.yearlyLevel / 12);
  const idNumber = m.rec.idNumber;
  const first = b.ctx.windowStart;
  if (p.start < first || p.end > b.ctx.asOfMonth) throw new RangeError("plan outside the window");
  for (let month = p.start; month <= p.end; month++) {
    // The base of a resident contribution is the chosen level itself, stated per month.
    const period = b.ctx.periods[month - first];
    b.block.contributions.push(row(idNumber, period, "170", monthly, 0, monthly, null, "PAID"));
  }
  b.block.enrolments.push({
    idNumber,
    insuranceType: "170",
    status: "1",
    employerUscc: null,
    enrolledOn: p.enrolledOn,
  });
}

/** Pension record; adds the terminated 110 enrolment unless an employment plan already did. */
export function addPension(
  b: BlockBuilder,
  m: Member,
  p: { monthlyAmount: number; status: PensionStatus; enrolledOn: string | null },
): void {
  b.block.pensions.push({
    idNumber: m.rec.idNumber,
    retiredOn: retirementDate(m),
    monthlyAmount: round2(p.monthlyAmount),
    status: p.status,
  });
  if (p.enrolledOn !== null) {
    b.block.enrolments.push({
      idNumber: m.rec.idNumber,
      insuranceType: "110",
      status: "3",
      employerUscc: null,
      enrolledOn: p.enrolledOn,
    });
  }
}
