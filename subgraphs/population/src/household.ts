import { CacheControl, Share } from "@onecert/subgraph-kit";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Person } from "./person";

export enum HouseholdRelation {
  HEAD = "HEAD",
  SPOUSE = "SPOUSE",
  CHILD = "CHILD",
  PARENT = "PARENT",
  GRANDCHILD = "GRANDCHILD",
  OTHER = "OTHER",
}
registerEnumType(HouseholdRelation, {
  name: "HouseholdRelation",
  description: "Relation to the household head.",
});

@Share("UNCONDITIONAL")
@CacheControl(300)
@ObjectType({ description: "A registered household (户)." })
export class Household {
  @Field(() => String)
  number!: string;

  @Field(() => String)
  regionCode!: string;

  @Share("UNCONDITIONAL", "ADDRESS")
  @Field(() => String)
  address!: string;

  headIdNumber!: string;
}

@Share("UNCONDITIONAL")
@CacheControl(300)
@ObjectType({ description: "A member of a household and their relation to its head." })
export class HouseholdMember {
  @Field(() => HouseholdRelation)
  relation!: HouseholdRelation;

  @Field(() => Person)
  person!: Person;
}
