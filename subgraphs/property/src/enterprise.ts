import { Directive, Field, ObjectType } from "type-graphql";
import { UsccScalar } from "@onecert/subgraph-kit";

/** The legal-entity registry's Enterprise, reduced to its key: this registry only adds fields to it. */
@Directive('@key(fields: "uscc")')
// No description: composition would otherwise have to choose between it and legal-entity's.
@ObjectType()
export class Enterprise {
  @Field(() => UsccScalar)
  uscc!: string;
}
