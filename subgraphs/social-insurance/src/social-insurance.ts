import { Field, Float, ObjectType } from "type-graphql";
import { CacheControl, DateScalar, Share } from "@onecert/subgraph-kit";
import { PensionStatus } from "./codes";

/**
 * A person's social-insurance account. It exists for every ID number asked about: the registry
 * cannot tell an unknown person from one who never contributed, so both get empty lists.
 */
@Share("CONDITIONAL")
@CacheControl(60)
@ObjectType({ description: "Social-insurance data (社保) of one person." })
export class SocialInsurance {
  idNumber!: string;
}

@Share("CONDITIONAL")
@CacheControl(60)
@ObjectType({ description: "Retirement and pension (养老金领取) of a person." })
export class Retirement {
  @Field(() => Boolean)
  retired!: boolean;

  @Field(() => DateScalar, { nullable: true })
  retiredOn!: string | null;

  @Field(() => PensionStatus, { nullable: true, description: "Null when not retired." })
  pensionStatus!: PensionStatus | null;

  @Share("CONDITIONAL", "FINANCIAL")
  @Field(() => Float, { nullable: true, description: "Monthly pension in yuan; null when not retired." })
  monthlyPension!: number | null;
}

/** A pension row as stored. */
export interface Pension {
  idNumber: string;
  retiredOn: string;
  monthlyAmount: number;
  status: PensionStatus;
}
