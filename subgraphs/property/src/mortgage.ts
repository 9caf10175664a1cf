import { Field, Float, ObjectType } from "type-graphql";
import { CacheControl, DateScalar, Share } from "@onecert/subgraph-kit";

@Share("CONDITIONAL")
@CacheControl(120)
@ObjectType({ description: "A mortgage (抵押) registered on a unit." })
export class Mortgage {
  @Field(() => String, { description: "The lender holding the mortgage." })
  mortgagee!: string;

  @Share("CONDITIONAL", "FINANCIAL")
  @Field(() => Float, { description: "Secured amount in yuan." })
  amount!: number;

  @Field(() => DateScalar)
  registeredOn!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: "Date the mortgage was released; null while active.",
  })
  releasedOn!: string | null;

  @Field(() => Boolean, { description: "True until the mortgage is released." })
  active!: boolean;

  unitNumber!: string;
}
