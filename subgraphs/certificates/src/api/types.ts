import { Share } from "@onecert/subgraph-kit";
import { GraphQLJSON } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum SubjectKindValue {
  PERSON = "person",
  ENTERPRISE = "enterprise",
}
export enum VerdictStatus {
  SATISFIED = "SATISFIED",
  NOT_SATISFIED = "NOT_SATISFIED",
  UNDETERMINED = "UNDETERMINED",
}
export enum CommitmentStatus {
  PENDING = "PENDING",
  CONFIRMED = "CONFIRMED",
  CONTRADICTED = "CONTRADICTED",
}
registerEnumType(SubjectKindValue, {
  name: "SubjectKind",
  description: "A person (ID number) or an enterprise (USCC).",
});
registerEnumType(VerdictStatus, {
  name: "VerdictStatus",
  description:
    "UNDETERMINED when a registry is unreachable or the data is missing; never NOT_SATISFIED then.",
});
registerEnumType(CommitmentStatus, {
  name: "CommitmentStatus",
  description: "PENDING until a re-check decides: CONFIRMED (shared data now proves it) or CONTRADICTED.",
});

@Share("UNCONDITIONAL")
@ObjectType({
  description:
    "One case of a certificate type's reasons: the first whose `when` holds gives a verdict's reason.",
})
export class ReasonTemplate {
  @Field(() => VerdictStatus, { description: "SATISFIED or NOT_SATISFIED." }) outcome!: VerdictStatus;
  @Field(() => String, { description: "Stable UPPER_SNAKE code, as in CertificateVerdict.reasonCode." })
  code!: string;
  @Field(() => String, { nullable: true, description: "JSONata condition; null for the last case." })
  when!: string | null;
  @Field(() => [String], { description: "Names of its parameters, as in reasonParams." }) params!: string[];
  @Field(() => String, { description: "Template with {param} placeholders, in Chinese." }) zh!: string;
  @Field(() => String, { description: "Template with {param} placeholders, in English." }) en!: string;
}

@Share("UNCONDITIONAL")
@ObjectType({ description: "A kind of proof (证明) the shared data can verify." })
export class CertificateType {
  @Field(() => ID) id!: string;
  @Field(() => String) nameZh!: string;
  @Field(() => String) nameEn!: string;
  @Field(() => String) description!: string;
  @Field(() => SubjectKindValue) subjectKind!: SubjectKindValue;
  @Field(() => String, { description: "Department that issued the paper proof." }) department!: string;
  @Field(() => GraphQLJSON, { description: "Parameter defaults." }) parameters!: Record<string, unknown>;
  @Field(() => [String], { description: "Registries (subgraphs) the check reads." }) registries!: string[];
  @Field(() => String, { description: 'How long a verdict stays valid, e.g. "30d".' }) validity!: string;
  @Field(() => String, { description: "The GraphQL operation against the supergraph." }) operation!: string;
  @Field(() => String, { description: "The JSONata rule deciding the verdict." }) rule!: string;
  @Field(() => [ReasonTemplate], {
    description: "Reason cases, SATISFIED ones first, with zh and en templates.",
  })
  reasons!: ReasonTemplate[];
}

@Share("UNCONDITIONAL")
@ObjectType({ description: "A role among a matter's subjects, e.g. the applicant or a parent." })
export class MatterSubject {
  @Field(() => String) role!: string;
  @Field(() => SubjectKindValue) kind!: SubjectKindValue;
  @Field(() => String) nameZh!: string;
  @Field(() => String) nameEn!: string;
}

@Share("UNCONDITIONAL")
@ObjectType({ description: "A certificate a matter needs, for some of its roles." })
export class MatterCertificate {
  @Field(() => CertificateType) certificate!: CertificateType;
  @Field(() => [String]) roles!: string[];
  @Field(() => GraphQLJSON) parameters!: Record<string, unknown>;
  @Field(() => Boolean, {
    description: "Whether the applicant may commit (告知承诺) when data cannot decide.",
  })
  commitmentAllowed!: boolean;
}

@Share("UNCONDITIONAL")
@ObjectType({ description: "A matter (事项) or life event (一件事) and the proofs it needs." })
export class Matter {
  @Field(() => ID) code!: string;
  @Field(() => String) nameZh!: string;
  @Field(() => String) nameEn!: string;
  @Field(() => String) department!: string;
  @Field(() => [MatterSubject]) subjects!: MatterSubject[];
  @Field(() => [MatterCertificate]) certificates!: MatterCertificate[];
}

@Share("UNCONDITIONAL")
@ObjectType({ description: "A signed electronic proof (JWS, Ed25519) of a SATISFIED verdict." })
export class Proof {
  @Field(() => String, { description: "Compact JWS; verify with verifyProof or the JWKS." }) token!: string;
  @Field(() => String) keyId!: string;
  @Field(() => String, { description: "sha256 (base64url) of the canonical evidence JSON." })
  evidenceDigest!: string;
  @Field(() => Date) issuedAt!: Date;
  @Field(() => Date) expiresAt!: Date;
}

@Share("UNCONDITIONAL")
@ObjectType({ description: "The verdict on one certificate for one subject." })
export class CertificateVerdict {
  @Field(() => CertificateType) certificate!: CertificateType;
  @Field(() => String, { nullable: true }) role!: string | null;
  @Field(() => SubjectKindValue) subjectKind!: SubjectKindValue;
  @Share("UNCONDITIONAL", "IDENTIFIER")
  @Field(() => String)
  subject!: string;
  @Field(() => VerdictStatus) status!: VerdictStatus;
  /** The reason's text in each language; `reason(language:)` picks one (api/reasons.ts). */
  reasonText!: Readonly<Record<"zh" | "en", string>>;
  @Field(() => String, {
    description: "Stable code of the reason, e.g. OWNS_HOME_IN_CITY or SUBJECT_NOT_FOUND.",
  })
  reasonCode!: string;
  @Field(() => GraphQLJSON, {
    description: 'The values the reason\'s templates name, e.g. { "homesInCity": 1 }.',
  })
  reasonParams!: Record<string, unknown>;
  @Field(() => GraphQLJSON, { description: "What the rule saw, as this caller may see it (masked)." })
  evidence!: Record<string, unknown>;
  @Field(() => [String]) registries!: string[];
  @Field(() => Date) checkedAt!: Date;
  @Field(() => Date, { nullable: true, description: "Null for UNDETERMINED." }) validUntil!: Date | null;
  @Field(() => Boolean) commitmentAllowed!: boolean;
  @Field(() => Proof, { nullable: true, description: "Set by issueProofs for a SATISFIED verdict." })
  proof!: Proof | null;
}

@Share("UNCONDITIONAL")
@ObjectType({ description: "Every verdict a matter needs, from one request." })
export class MatterCheck {
  @Field(() => Matter) matter!: Matter;
  @Field(() => String, { nullable: true }) caseNumber!: string | null;
  @Field(() => VerdictStatus, { description: "NOT_SATISFIED if any is, else UNDETERMINED if any is." })
  outcome!: VerdictStatus;
  @Field(() => [CertificateVerdict]) verdicts!: CertificateVerdict[];
  @Field(() => Date) checkedAt!: Date;
}

@Share("UNCONDITIONAL")
@ObjectType({
  description: "An applicant's commitment (告知承诺) for a proof the shared data could not decide.",
})
export class Commitment {
  @Field(() => ID) id!: string;
  @Field(() => String) matter!: string;
  @Field(() => String) caseNumber!: string;
  @Field(() => CertificateType) certificate!: CertificateType;
  @Field(() => String, { nullable: true }) role!: string | null;
  @Field(() => SubjectKindValue) subjectKind!: SubjectKindValue;
  @Share("UNCONDITIONAL", "IDENTIFIER")
  @Field(() => String)
  subject!: string;
  @Field(() => CommitmentStatus) status!: CommitmentStatus;
  @Field(() => String) statement!: string;
  @Field(() => String, { description: "Why the data could not decide when it was recorded." })
  reason!: string;
  @Field(() => String, {
    nullable: true,
    description: "Its code; null when recorded before reasons had codes.",
  })
  reasonCode!: string | null;
  @Field(() => String, { description: "Client id of the window that recorded it." }) recordedBy!: string;
  @Field(() => String) operator!: string;
  @Field(() => Date) recordedAt!: Date;
  @Field(() => Int) checks!: number;
  @Field(() => Date, { nullable: true }) lastCheckedAt!: Date | null;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "The re-check's reason once resolved." })
  resolution!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The re-check reason's code once resolved, as in CertificateVerdict.reasonCode.",
  })
  resolutionCode!: string | null;
}
