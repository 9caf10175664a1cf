import { Directive, Field, Int, ObjectType } from "type-graphql";
import { CacheControl, PeriodScalar, UsccScalar, Share } from "@onecert/subgraph-kit";

/** The legal-entity registry's enterprise, extended here as an employer. */
@Directive('@key(fields: "uscc")')
@ObjectType({ description: "An enterprise, keyed by unified social credit code." })
export class Enterprise {
  @Field(() => UsccScalar)
  uscc!: string;
}

@Share("UNCONDITIONAL")
@CacheControl(60)
@ObjectType({ description: "Head count of an employer's insured employees in one month." })
export class InsuredEmployees {
  @Field(() => Int, { description: "Distinct persons with a paid or back-paid contribution in the month." })
  count!: number;

  @Field(() => PeriodScalar, { description: "The month counted." })
  asOf!: string;
}
