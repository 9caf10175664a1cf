import { Field, ObjectType } from "type-graphql";
import { CacheControl, DateScalar, Share } from "@onecert/subgraph-kit";
import { EnrolmentStatus, InsuranceType } from "./codes";

@Share("CONDITIONAL")
@CacheControl(60)
@ObjectType({ description: "Enrolment (参保) of a person in one insurance type." })
export class Enrolment {
  @Field(() => InsuranceType)
  type!: InsuranceType;

  @Field(() => String, { description: 'The insurance type code, e.g. "110".' })
  code!: string;

  @Field(() => EnrolmentStatus)
  status!: EnrolmentStatus;

  @Field(() => DateScalar)
  enrolledOn!: string;

  idNumber!: string;
  employerUscc!: string | null;
}
