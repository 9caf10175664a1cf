import { IdNumberScalar, UsccScalar } from "@onecert/subgraph-kit";
import { GraphQLJSON } from "graphql-scalars";
import { ArgsType, Field, ID, InputType } from "type-graphql";

@InputType({
  description: "A subject: an ID number (person) or a USCC (enterprise), and its role in the matter.",
})
export class SubjectInput {
  @Field(() => String, {
    nullable: true,
    description: "Role in the matter; default: the next role of that kind.",
  })
  role?: string | null;
  @Field(() => IdNumberScalar, { nullable: true }) idNumber?: string | null;
  @Field(() => UsccScalar, { nullable: true }) uscc?: string | null;
}

@InputType({ description: "Overrides one parameter of one certificate type for this check." })
export class ParameterInput {
  @Field(() => ID) certificate!: string;
  @Field(() => String) name!: string;
  @Field(() => GraphQLJSON, { nullable: true }) value?: unknown;
}

@ArgsType()
export class CheckMatterArgs {
  @Field(() => ID) matter!: string;
  @Field(() => [SubjectInput]) subjects!: SubjectInput[];
  @Field(() => [ParameterInput], { nullable: true }) parameters?: ParameterInput[] | null;
}

@ArgsType()
export class IssueProofsArgs extends CheckMatterArgs {
  @Field(() => [ID], { nullable: true, description: "Only these certificate types; default every one." })
  types?: string[] | null;
}

@ArgsType()
export class CheckCertificatesArgs {
  @Field(() => SubjectInput) subject!: SubjectInput;
  @Field(() => [ID]) types!: string[];
  @Field(() => [ParameterInput], { nullable: true }) parameters?: ParameterInput[] | null;
}

@InputType({
  description: "The applicant's commitment for one certificate the shared data could not decide.",
})
export class CommitmentInput {
  @Field(() => ID) matter!: string;
  @Field(() => ID) certificate!: string;
  @Field(() => SubjectInput) subject!: SubjectInput;
  @Field(() => String, { description: "What the applicant commits to, as signed." }) statement!: string;
}
