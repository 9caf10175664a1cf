import { Directive, Field, ObjectType } from "type-graphql";
import { IdNumberScalar } from "@onecert/subgraph-kit";

/** The population registry's person, extended here with social-insurance data by ID number. */
@Directive('@key(fields: "idNumber")')
@ObjectType({ description: "A person, keyed by ID number (the social-security number is the ID number)." })
export class Person {
  @Field(() => IdNumberScalar)
  idNumber!: string;
}
