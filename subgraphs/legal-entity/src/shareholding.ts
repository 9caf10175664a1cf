import { CacheControl, Share } from "@onecert/subgraph-kit";
import { Field, Float, ObjectType } from "type-graphql";
import type { PartyKind } from "@onecert/synthetic-world";

@Share("UNCONDITIONAL")
@CacheControl(300)
@ObjectType({ description: "A holding in an enterprise's registered capital." })
export class Shareholding {
  @Field(() => Float, { description: "Percentage of the registered capital, 0 < share <= 100." })
  share!: number;

  uscc!: string;
  holderKind!: PartyKind;
  /** An ID number (PERSON) or a USCC (ENTERPRISE). */
  holderId!: string;
}
