import { Directive, Field, ObjectType, registerEnumType } from "type-graphql";
import { DateScalar, IdNumberScalar } from "@onecert/subgraph-kit";

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
@ObjectType({ description: "A person in the population registry (人口库), keyed by ID number." })
export class Person {
  @Field(() => IdNumberScalar)
  idNumber!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Sex)
  sex!: Sex;

  @Field(() => DateScalar)
  birthDate!: string;

  @Field(() => String)
  ethnicity!: string;

  @Field(() => PersonStatus)
  status!: PersonStatus;

  @Field(() => DateScalar, { nullable: true, description: "Date of death when status is DECEASED." })
  deceasedOn!: string | null;

  @Field(() => MaritalStatus)
  maritalStatus!: MaritalStatus;

  @Field(() => String, { description: "6-digit region code of the registered residence." })
  regionCode!: string;

  @Field(() => String, { description: "Registered residence address (户籍地址)." })
  address!: string;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  spouseIdNumber!: string | null;
  householdNumber!: string;
  relation!: string;
}
