import { Share } from "@onecert/subgraph-kit";
import { Field, ObjectType } from "type-graphql";
import { SubjectKindValue, VerdictStatus } from "./types";

@Share("UNCONDITIONAL")
@ObjectType({ description: "The claims of a verified proof." })
export class ProofClaims {
  @Field(() => String) certificate!: string;
  @Field(() => String, { description: "The masked subject." }) subject!: string;
  @Field(() => SubjectKindValue) subjectKind!: SubjectKindValue;
  @Field(() => VerdictStatus) verdict!: VerdictStatus;
  @Field(() => String) evidenceDigest!: string;
  @Field(() => String, { nullable: true }) matter!: string | null;
  @Field(() => String, { nullable: true }) caseNumber!: string | null;
  @Field(() => [String]) registries!: string[];
  @Field(() => String) issuer!: string;
  @Field(() => Date) issuedAt!: Date;
  @Field(() => Date) expiresAt!: Date;
}

@Share("UNCONDITIONAL")
@ObjectType({ description: "The outcome of verifying a proof; an invalid proof is an answer, not an error." })
export class ProofVerification {
  @Field(() => Boolean) valid!: boolean;
  @Field(() => String, { nullable: true, description: "PROOF_EXPIRED, PROOF_SIGNATURE_INVALID, ..." })
  code!: string | null;
  @Field(() => String) reason!: string;
  @Field(() => String, { nullable: true }) keyId!: string | null;
  @Field(() => ProofClaims, { nullable: true }) claims!: ProofClaims | null;
}
