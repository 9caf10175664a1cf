import {
  applyChange,
  badUserInput,
  conflict,
  IdNumberScalar,
  notFound,
  PeriodScalar,
  type ChangeEvent,
  type RegistryContext,
  Share,
  UsccScalar,
} from "@onecert/subgraph-kit";
import { CONTRIBUTION_RATES, round2 } from "@onecert/synthetic-world";
import { Args, ArgsType, Ctx, Field, Float, Mutation, Resolver } from "type-graphql";
import { EnrolmentStatus, InsuranceType, PaymentStatus } from "./codes";
import { Contribution } from "./contribution";
import type { SocialInsuranceLoaders } from "./data";
import { currentPeriod } from "@onecert/subgraph-kit";
import { lockEnrolments, lockRecord, saveRecord, type ContributionRow } from "./writes";

type Context = RegistryContext<SocialInsuranceLoaders>;

/** Contribution bases accepted, in yuan per month. */
export const BASE_RANGE = { min: 1_000, max: 100_000 } as const;

@ArgsType()
export class RecordContributionArgs {
  @Field(() => IdNumberScalar)
  idNumber!: string;

  @Field(() => PeriodScalar, { description: "The month paid for, YYYYMM; not after the current month." })
  period!: string;

  @Field(() => InsuranceType)
  type!: InsuranceType;

  @Field(() => Float, {
    description: `Contribution base in yuan, ${BASE_RANGE.min} to ${BASE_RANGE.max}, whole cents.`,
  })
  base!: number;

  @Field(() => UsccScalar, {
    nullable: true,
    description: "The employer reporting the record; none for resident pension (170) or a flexible worker.",
  })
  employerUscc?: string | null;

  @Field(() => PaymentStatus, {
    description:
      "PAID or BACK_PAID to record a payment (a month in arrears becomes BACK_PAID), ARREARS for a debt.",
  })
  paymentStatus!: PaymentStatus;
}

const TYPE_NAMES = new Map(Object.entries(InsuranceType).map(([name, code]) => [code as string, name]));
const typeName = (type: InsuranceType) => `${TYPE_NAMES.get(type)} (${type})`;

function checkInput(args: RecordContributionArgs): void {
  const now = currentPeriod();
  if (args.period > now)
    throw badUserInput(`period ${args.period} is after the current month ${now}`, "period");
  const { min, max } = BASE_RANGE;
  if (
    !(args.base >= min && args.base <= max) ||
    Math.abs(args.base * 100 - Math.round(args.base * 100)) > 1e-6
  ) {
    throw badUserInput(`base ${args.base} must be ${min} to ${max} yuan, in cents`, "base");
  }
  if (args.type === InsuranceType.RESIDENT_PENSION && args.employerUscc) {
    throw badUserInput(
      "resident pension (170) is paid by the person alone: give no employerUscc",
      "employerUscc",
    );
  }
}

/** The payment status a record gets, or CONFLICT when the month's record forbids the change. */
function nextStatus(
  args: RecordContributionArgs,
  existing: { paymentStatus: PaymentStatus; employerUscc: string | null } | null,
): { status: PaymentStatus; employerUscc: string | null } {
  const month = `${typeName(args.type)} for ${args.period}`;
  const given = args.employerUscc ?? null;
  if (!existing) return { status: args.paymentStatus, employerUscc: given };
  if (existing.paymentStatus !== PaymentStatus.ARREARS) {
    throw conflict(`${month} is already ${existing.paymentStatus}: a month is paid once`, "period");
  }
  if (args.paymentStatus === PaymentStatus.ARREARS) {
    throw conflict(`${month} is already recorded in arrears`, "paymentStatus");
  }
  if (given && existing.employerUscc && given !== existing.employerUscc) {
    const rule = `the arrears of ${month} are owed by employer ${existing.employerUscc}, not ${given}`;
    throw conflict(rule, "employerUscc");
  }
  return { status: PaymentStatus.BACK_PAID, employerUscc: given ?? existing.employerUscc };
}

/** The change human resources and social security records in its own registry; no other department may. */
@Resolver()
export class SocialInsuranceMutations {
  @Share("NOT_SHARED")
  @Mutation(() => Contribution, {
    description:
      "Records one monthly contribution (缴费记录). Rules: the period is not after the current month, the base " +
      `is ${BASE_RANGE.min}-${BASE_RANGE.max} yuan, resident pension (170) has no employer (else BAD_USER_INPUT); ` +
      "the registry holds an enrolment of the person (else NOT_FOUND), in this type and not terminated " +
      "(else CONFLICT). Paying a month in arrears makes it BACK_PAID (with the employer that owes it); paying " +
      "or marking in arrears a month already paid, or marking arrears twice, is CONFLICT. The employer and " +
      "personal amounts follow the registry's rates per type. Invalidates the person and the employer.",
  })
  async recordContribution(
    @Args(() => RecordContributionArgs) args: RecordContributionArgs,
    @Ctx() ctx: Context,
  ): Promise<Contribution> {
    checkInput(args);
    return applyChange(ctx, "social_insurance", async (tx) => {
      const enrolments = await lockEnrolments(tx, args.idNumber);
      if (enrolments.size === 0) {
        throw notFound(`the registry holds no social-insurance enrolment for ${args.idNumber}`, "idNumber");
      }
      const enrolment = enrolments.get(args.type);
      if (!enrolment) throw conflict(`${args.idNumber} is not enrolled in ${typeName(args.type)}`, "type");
      if (enrolment === EnrolmentStatus.TERMINATED) {
        throw conflict(`the enrolment of ${args.idNumber} in ${typeName(args.type)} is terminated`, "type");
      }
      const existing = await lockRecord(tx, args.idNumber, args.type, args.period);
      const { status, employerUscc } = nextStatus(args, existing);
      const [employerRate, personalRate] = CONTRIBUTION_RATES[args.type];
      const row: ContributionRow = {
        idNumber: args.idNumber,
        period: args.period,
        type: args.type,
        base: round2(args.base),
        employerAmount: round2(args.base * employerRate),
        personalAmount: round2(args.base * personalRate),
        employerUscc,
        paymentStatus: status,
      };
      await saveRecord(tx, row);
      const events: ChangeEvent[] = [
        { type: "Person", key: args.idNumber, tags: employerUscc ? [`Enterprise:${employerUscc}`] : [] },
      ];
      if (employerUscc)
        events.push({ type: "Enterprise", key: employerUscc, tags: [`Person:${args.idNumber}`] });
      return { result: { ...row, code: row.type }, events };
    });
  }
}
