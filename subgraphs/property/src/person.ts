import { Directive, Field, ObjectType } from "type-graphql";
import { IdNumberScalar } from "@onecert/subgraph-kit";

/** The population registry's Person, reduced to its key: this registry only adds fields to it. */
@Directive('@key(fields: "idNumber")')
// No description: composition would otherwise have to choose between it and population's.
@ObjectType()
export class Person {
  @Field(() => IdNumberScalar)
  idNumber!: string;
}
