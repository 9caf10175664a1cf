import { Field, Float, ObjectType } from "type-graphql";
import { PeriodScalar } from "@onecert/subgraph-kit";
import { InsuranceType, PaymentStatus } from "./codes";

@ObjectType({ description: "One monthly contribution record (缴费记录) of one insurance type." })
export class Contribution {
  @Field(() => PeriodScalar)
  period!: string;

  @Field(() => InsuranceType)
  type!: InsuranceType;

  @Field(() => String, { description: 'The insurance type code, e.g. "110".' })
  code!: string;

  @Field(() => Float, { description: "Contribution base (缴费基数), yuan." })
  base!: number;

  @Field(() => Float, { description: "Employer's part, yuan." })
  employerAmount!: number;

  @Field(() => Float, { description: "Personal part, yuan." })
  personalAmount!: number;

  @Field(() => PaymentStatus)
  paymentStatus!: PaymentStatus;

  idNumber!: string;
  employerUscc!: string | null;
}
