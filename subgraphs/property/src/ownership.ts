import { CacheControl, Share } from "@onecert/subgraph-kit";
import { Field, Float, ObjectType } from "type-graphql";
import type { PartyKind } from "@onecert/synthetic-world";
import { Party } from "./party";

@Share("CONDITIONAL")
@CacheControl(120)
@ObjectType({ description: "An owner's share of a unit." })
export class Ownership {
  @Field(() => Float, { description: "Percentage; the owners of one unit sum to 100." })
  share!: number;

  @Field(() => Party)
  owner!: typeof Party;
}

/** An ownerships row before its owner becomes a Person or Enterprise key. */
export interface OwnershipRow {
  unitNumber: string;
  ownerKind: PartyKind;
  /** An ID number (PERSON) or a USCC (ENTERPRISE). */
  ownerId: string;
  share: number;
}
