import { Field, ObjectType } from "type-graphql";
import { CacheControl, DateScalar, Share } from "@onecert/subgraph-kit";

// A court order takes effect at once: served from cache for a shorter time than the unit.
@Share("CONDITIONAL")
@CacheControl(60)
@ObjectType({ description: "A seizure (查封) of a unit by a court or another authority." })
export class Seizure {
  @Field(() => String)
  authority!: string;

  @Field(() => String, { description: "The authority's case number." })
  caseNumber!: string;

  @Field(() => DateScalar)
  seizedOn!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: "Date the seizure was lifted; null while in force.",
  })
  liftedOn!: string | null;

  @Field(() => Boolean, { description: "True until the seizure is lifted." })
  active!: boolean;

  unitNumber!: string;
}
