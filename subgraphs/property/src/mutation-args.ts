import { DateScalar, UnitNumberScalar } from "@onecert/subgraph-kit";
import { ArgsType, Field, Float, InputType, registerEnumType } from "type-graphql";
import { MAX_OWNERS } from "./rules";

// Argument classes, because type-graphql lists separate @Arg parameters last to first.

export enum OwnerKind {
  PERSON = "PERSON",
  ENTERPRISE = "ENTERPRISE",
}
registerEnumType(OwnerKind, {
  name: "OwnerKind",
  description: "Whether an owner is a person or an enterprise.",
});

@InputType({ description: "One owner of a unit after a transfer." })
export class OwnerInput {
  @Field(() => OwnerKind)
  kind!: OwnerKind;

  @Field(() => String, { description: "ID number of a PERSON, unified social credit code of an ENTERPRISE." })
  id!: string;

  @Field(() => Float, { description: "Percentage in hundredths; the owners' shares sum to 100." })
  share!: number;
}

@ArgsType()
export class RegisterTransferArgs {
  @Field(() => UnitNumberScalar)
  unitNumber!: string;

  @Field(() => [OwnerInput], { description: `The new owners, 1 to ${MAX_OWNERS}.` })
  owners!: OwnerInput[];

  @Field(() => DateScalar, {
    description: "Registration date: not in the future, not before the current one.",
  })
  registeredOn!: string;
}

@ArgsType()
export class RegisterMortgageArgs {
  @Field(() => UnitNumberScalar)
  unitNumber!: string;

  @Field(() => String, { description: "The lender; 1 to 100 characters." })
  mortgagee!: string;

  @Field(() => Float, { description: "Secured amount in yuan: above 0, whole cents." })
  amount!: number;

  @Field(() => DateScalar)
  registeredOn!: string;
}

@ArgsType()
export class ReleaseMortgageArgs {
  @Field(() => UnitNumberScalar)
  unitNumber!: string;

  @Field(() => String, { description: "The lender whose mortgage is released." })
  mortgagee!: string;

  @Field(() => DateScalar)
  releasedOn!: string;
}

@ArgsType()
export class RegisterSeizureArgs {
  @Field(() => UnitNumberScalar)
  unitNumber!: string;

  @Field(() => String, { description: "The court or authority seizing the unit; 1 to 100 characters." })
  authority!: string;

  @Field(() => String, { description: "The authority's case number; 1 to 64 characters." })
  caseNumber!: string;

  @Field(() => DateScalar)
  seizedOn!: string;
}
