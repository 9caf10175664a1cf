import { Directive, Field, ObjectType, registerEnumType } from "type-graphql";
import { CacheControl, DateScalar, IdNumberScalar, Share } from "@onecert/subgraph-kit";

export enum Sex {
  M = "M",
  F = "F",
}
export enum PersonStatus {
  ACTIVE = "ACTIVE",
  DECEASED = "DECEASED",
  EMIGRATED = "EMIGRATED",
}
export enum MaritalStatus {
  SINGLE = "SINGLE",
  MARRIED = "MARRIED",
  DIVORCED = "DIVORCED",
  WIDOWED = "WIDOWED",
}
registerEnumType(Sex, { name: "Sex", description: "Sex as recorded: M male, F female." });
registerEnumType(PersonStatus, { name: "PersonStatus" });
registerEnumType(MaritalStatus, { name: "MaritalStatus", description: "Marital status as recorded." });

@Directive('@key(fields: "idNumber")')
@Share("UNCONDITIONAL")
@CacheControl(300)
@ObjectType({ description: "A person in the population registry (人口库), keyed by ID number." })
export class Person {
  @Share("UNCONDITIONAL", "IDENTIFIER")
  @Field(() => IdNumberScalar)
  idNumber!: string;

  @Share("UNCONDITIONAL", "NAME")
  @Field(() => String)
  name!: string;

  @Field(() => Sex)
  sex!: Sex;

  @Field(() => DateScalar)
  birthDate!: string;

  @Share("CONDITIONAL")
  @Field(() => String)
  ethnicity!: string;

  @Field(() => PersonStatus)
  status!: PersonStatus;

  @Field(() => DateScalar, { nullable: true, description: "Date of death when status is DECEASED." })
  deceasedOn!: string | null;

  @Share("CONDITIONAL")
  @Field(() => MaritalStatus)
  maritalStatus!: MaritalStatus;

  @Field(() => String, { description: "6-digit region code of the registered residence." })
  regionCode!: string;

  @Share("CONDITIONAL", "ADDRESS")
  @Field(() => String, { description: "Registered residence address (户籍地址)." })
  address!: string;

  // Contact data is never shared between callers, even from cache.
  @CacheControl(60, "PRIVATE")
  @Share("NOT_SHARED", "CONTACT")
  @Field(() => String, { nullable: true })
  phone!: string | null;

  spouseIdNumber!: string | null;
  householdNumber!: string;
  relation!: string;
}
