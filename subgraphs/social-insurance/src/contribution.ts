import { Field, Float, ObjectType } from "type-graphql";
import { CacheControl, PeriodScalar, Share } from "@onecert/subgraph-kit";
import { InsuranceType, PaymentStatus } from "./codes";

@Share("CONDITIONAL")
@CacheControl(60)
@ObjectType({ description: "One monthly contribution record (缴费记录) of one insurance type." })
export class Contribution {
  @Field(() => PeriodScalar)
  period!: string;

  @Field(() => InsuranceType)
  type!: InsuranceType;

  @Field(() => String, { description: 'The insurance type code, e.g. "110".' })
  code!: string;

  @Share("CONDITIONAL", "FINANCIAL")
  @Field(() => Float, { description: "Contribution base (缴费基数), yuan." })
  base!: number;

  @Share("CONDITIONAL", "FINANCIAL")
  @Field(() => Float, { description: "Employer's part, yuan." })
  employerAmount!: number;

  @Share("CONDITIONAL", "FINANCIAL")
  @Field(() => Float, { description: "Personal part, yuan." })
  personalAmount!: number;

  @Field(() => PaymentStatus)
  paymentStatus!: PaymentStatus;

  idNumber!: string;
  employerUscc!: string | null;
}
