import { ArgsType, Field } from "type-graphql";
import { PeriodScalar } from "@onecert/subgraph-kit";
import { InsuranceType } from "./codes";

// Argument classes, because type-graphql lists separate @Arg parameters last to first.

const AS_OF = "Month to count, YYYYMM; default the month before the current one; not after the current one.";

@ArgsType()
export class ContributionsArgs {
  @Field(() => InsuranceType, { nullable: true, description: "Only records of this type." })
  type?: InsuranceType | null;

  @Field(() => PeriodScalar, { nullable: true, description: "First month, inclusive." })
  from?: string | null;

  @Field(() => PeriodScalar, { nullable: true, description: "Last month, inclusive; not before from." })
  to?: string | null;
}

@ArgsType()
export class MonthCountArgs {
  @Field(() => InsuranceType)
  type!: InsuranceType;

  @Field(() => PeriodScalar, { nullable: true, description: AS_OF })
  asOf?: string | null;
}
