/**
 * Social insurance: enrolments, monthly contributions over the window ending at asOf, and
 * pensions. This is the bulk of the world's records, so the contribution loop avoids any
 * per-record work beyond building the object.
 */
import type { BlockBuilder, Member } from "./builder";
import { monthTurning } from "./context";
import { dateInMonth, periodOf } from "./dates";
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
export function retirementDate(m: Member): string {
  return dateInMonth(monthTurning(m.rec.birthDate, retirementAge(m.rec.sex)) + 1, 1);
}

export function addEmployment(b: BlockBuilder, m: Member, plan: EmploymentPlan): void {
  const idNumber = m.rec.idNumber;
  const types = plan.maternity && m.rec.sex === "F" ? WITH_MATERNITY : EMPLOYEE_TYPES;
  const employer: number[] = [];
  const personal: number[] = [];
  for (const t of types) {
    const [er, pr] = RATES[t];
    employer.push(round2(plan.base * er));
    personal.push(round2(plan.base * pr));
  }
  const out: ContributionRecord[] = b.block.contributions;
  const employers = plan.employers;
  const gap = plan.gap;
  let e = 0;
  for (let month = plan.start; month <= plan.end; month++) {
    let paymentStatus: PaymentStatus = "PAID";
    if (gap !== undefined && month >= gap.from && month <= gap.to) {
      if (gap.kind === "MISSING") continue;
      paymentStatus = gap.kind;
    }
    while (e + 1 < employers.length && (employers[e + 1]?.from ?? Infinity) <= month) e++;
    const employerUscc = employers[e]?.uscc ?? null;
    const period = periodOf(month);
    for (let i = 0; i < types.length; i++) {
      out.push({
        idNumber,
        period,
        insuranceType: types[i] as InsuranceType,
        base: plan.base,
        employerAmount: employer[i] as number,
        personalAmount: personal[i] as number,
        employerUscc,
        paymentStatus,
      });
    }
  }
  const current = employers[employers.length - 1]?.uscc ?? null;
  for (const t of types) {
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
  for (let month = p.start; month <= p.end; month++) {
    // The base of a resident contribution is the chosen level itself, stated per month.
    b.block.contributions.push({
      idNumber,
      period: periodOf(month),
      insuranceType: "170",
      base: monthly,
      employerAmount: 0,
      personalAmount: monthly,
      employerUscc: null,
      paymentStatus: "PAID",
    });
  }
  b.block.enrolments.push({ idNumber, insuranceType: "170", status: "1", employerUscc: null, enrolledOn: p.enrolledOn });
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
