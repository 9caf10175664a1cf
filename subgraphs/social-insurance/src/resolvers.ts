import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { badUserInput, PeriodScalar, type RegistryContext, Share } from "@onecert/subgraph-kit";
import { ContributionsArgs, MonthCountArgs } from "./args";
import { COUNTED_PAYMENTS, InsuranceType } from "./codes";
import { consecutiveMonths } from "./consecutive-months";
import { Contribution } from "./contribution";
import type { SocialInsuranceLoaders } from "./data";
import { Enrolment } from "./enrolment";
import { Enterprise, InsuredEmployees } from "./enterprise";
import { currentPeriod, defaultAsOf } from "@onecert/subgraph-kit";
import { Person } from "./person";
import { Retirement, SocialInsurance } from "./social-insurance";

type Context = RegistryContext<SocialInsuranceLoaders>;

/** `asOf` or its default, rejected before any read when it names a month that has not begun. */
function checkedAsOf(asOf: string | null | undefined): string {
  if (asOf == null) return defaultAsOf();
  const now = currentPeriod();
  if (asOf > now) throw badUserInput(`asOf ${asOf} is after the current month ${now}`, "asOf");
  return asOf;
}

const employerOf = (row: { employerUscc: string | null }): Enterprise | null =>
  row.employerUscc ? { uscc: row.employerUscc } : null;

@Resolver(() => Person)
export class PersonResolver {
  @Share("CONDITIONAL")
  @FieldResolver(() => SocialInsurance, {
    nullable: true,
    description:
      "Social-insurance data for this ID number; empty lists when the registry holds nothing for it. " +
      "Null only on an error: the registry down, or a rejected argument below.",
  })
  socialInsurance(@Root() person: Person): SocialInsurance {
    return { idNumber: person.idNumber };
  }
}

@Resolver(() => SocialInsurance)
export class SocialInsuranceResolver {
  @FieldResolver(() => [Enrolment], { description: "Enrolments, one per insurance type ever enrolled in." })
  enrolments(@Root() account: SocialInsurance, @Ctx() ctx: Context): Promise<Enrolment[]> {
    return ctx.loaders.enrolments.load(account.idNumber);
  }

  @FieldResolver(() => [Contribution], {
    description:
      "Monthly records, newest first, optionally of one type and within [from, to] (both inclusive).",
  })
  async contributions(
    @Root() account: SocialInsurance,
    @Args(() => ContributionsArgs) { type, from, to }: ContributionsArgs,
    @Ctx() ctx: Context,
  ): Promise<Contribution[]> {
    if (from != null && to != null && from > to) throw badUserInput(`from ${from} is after to ${to}`, "from");
    const rows = await ctx.loaders.contributions.load(account.idNumber);
    return rows.filter(
      (row) =>
        (type == null || row.type === type) &&
        (from == null || row.period >= from) &&
        (to == null || row.period <= to),
    );
  }

  @FieldResolver(() => Int, {
    description:
      "Consecutive months ending at asOf with a PAID or BACK_PAID record of the type; " +
      "a month in arrears or without a record ends the run.",
  })
  async consecutiveContributionMonths(
    @Root() account: SocialInsurance,
    @Args(() => MonthCountArgs) { type, asOf }: MonthCountArgs,
    @Ctx() ctx: Context,
  ): Promise<number> {
    const month = checkedAsOf(asOf);
    const rows = await ctx.loaders.contributions.load(account.idNumber);
    return consecutiveMonths(
      rows.filter((row) => row.type === type),
      month,
    );
  }

  @FieldResolver(() => PeriodScalar, {
    nullable: true,
    description: "Latest month with a PAID or BACK_PAID record of the type; null when none.",
  })
  async lastPaidPeriod(
    @Root() account: SocialInsurance,
    @Arg("type", () => InsuranceType) type: InsuranceType,
    @Ctx() ctx: Context,
  ): Promise<string | null> {
    const rows = await ctx.loaders.contributions.load(account.idNumber);
    // Rows come newest first, so the first match is the latest.
    return rows.find((row) => row.type === type && COUNTED_PAYMENTS.has(row.paymentStatus))?.period ?? null;
  }

  @FieldResolver(() => Retirement)
  async retirement(@Root() account: SocialInsurance, @Ctx() ctx: Context): Promise<Retirement> {
    const pension = await ctx.loaders.pension.load(account.idNumber);
    if (!pension) return { retired: false, retiredOn: null, pensionStatus: null, monthlyPension: null };
    return {
      retired: true,
      retiredOn: pension.retiredOn,
      pensionStatus: pension.status,
      monthlyPension: pension.monthlyAmount,
    };
  }
}

@Resolver(() => Enrolment)
export class EnrolmentResolver {
  @FieldResolver(() => Enterprise, { nullable: true, description: "Employer for employee insurance types." })
  employer(@Root() enrolment: Enrolment): Enterprise | null {
    return employerOf(enrolment);
  }
}

@Resolver(() => Contribution)
export class ContributionResolver {
  @FieldResolver(() => Enterprise, {
    nullable: true,
    description: "Employer that reported the record, if any.",
  })
  employer(@Root() contribution: Contribution): Enterprise | null {
    return employerOf(contribution);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Share("UNCONDITIONAL")
  @FieldResolver(() => InsuredEmployees, {
    description:
      "Distinct persons this employer paid (or back-paid) contributions of the type for in one month.",
  })
  async insuredEmployees(
    @Root() enterprise: Enterprise,
    @Args(() => MonthCountArgs) { type, asOf }: MonthCountArgs,
    @Ctx() ctx: Context,
  ): Promise<InsuredEmployees> {
    const period = checkedAsOf(asOf);
    const count = await ctx.loaders.insuredHeadCount.load({ uscc: enterprise.uscc, type, period });
    return { count, asOf: period };
  }
}
