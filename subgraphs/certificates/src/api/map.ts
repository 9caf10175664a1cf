import type { CertificateCatalogue, CertificateType as Definition, MatterPlan } from "@onecert/catalogue";
import type { Verdict } from "../checker";
import type { CommitmentRecord } from "../commitments/store";
import type { ProofCheck } from "../proofs";
import type { IssuedProof } from "../service";
import type { ProofVerification } from "./proof-types";
import {
  CertificateType,
  Commitment,
  CommitmentStatus,
  type CertificateVerdict,
  type Matter,
  type ReasonTemplate,
  SubjectKindValue,
  VerdictStatus,
} from "./types";

/** Catalogue and service results as the GraphQL types of the certificates subgraph. */
export function certificateType(type: Definition): CertificateType {
  return {
    id: type.id,
    nameZh: type.name.zh,
    nameEn: type.name.en,
    description: type.description,
    subjectKind: type.subject as SubjectKindValue,
    department: type.department,
    parameters: { ...type.parameters },
    registries: [...type.registries],
    validity: type.validity,
    operation: type.operation,
    rule: type.rule.source,
    reasons: reasonTemplates(type),
  };
}

function reasonTemplates(type: Definition): ReasonTemplate[] {
  const cases = [
    ...type.reasons.satisfied.map((entry) => [VerdictStatus.SATISFIED, entry] as const),
    ...type.reasons.notSatisfied.map((entry) => [VerdictStatus.NOT_SATISFIED, entry] as const),
  ];
  return cases.map(([outcome, entry]) => ({
    outcome,
    code: entry.code,
    when: entry.when?.source ?? null,
    params: entry.params.map(([name]) => name),
    zh: entry.zh,
    en: entry.en,
  }));
}

export function matter(plan: MatterPlan, catalogue: CertificateCatalogue): Matter {
  return {
    code: plan.code,
    nameZh: plan.name.zh,
    nameEn: plan.name.en,
    department: plan.department,
    subjects: plan.roles.map((role) => ({
      role: role.role,
      kind: role.kind as SubjectKindValue,
      nameZh: role.name.zh,
      nameEn: role.name.en,
    })),
    certificates: plan.certificates.map((entry) => ({
      certificate: certificateType(catalogue.certificates.get(entry.type)!),
      roles: [...entry.roles],
      parameters: { ...entry.parameters },
      commitmentAllowed: entry.commitmentAllowed,
    })),
  };
}

export function verdict(result: Verdict & { proof?: IssuedProof | null }): CertificateVerdict {
  return {
    certificate: certificateType(result.certificate),
    role: result.role,
    subjectKind: result.subjectKind as SubjectKindValue,
    subject: result.subjectKey,
    status: result.status as VerdictStatus,
    reasonText: result.reasonText,
    reasonCode: result.reasonCode,
    reasonParams: result.reasonParams,
    evidence: result.evidence,
    registries: [...result.certificate.registries],
    checkedAt: result.checkedAt,
    validUntil: result.validUntil,
    commitmentAllowed: result.commitmentAllowed && result.status === "UNDETERMINED",
    proof: result.proof ?? null,
  };
}

export function proofVerification(check: ProofCheck): ProofVerification {
  const claims = check.claims;
  return {
    valid: check.valid,
    code: check.code,
    reason: check.reason,
    keyId: check.keyId,
    claims: claims && {
      ...claims,
      subjectKind: claims.subjectKind as SubjectKindValue,
      verdict: claims.verdict as VerdictStatus,
      registries: [...claims.registries],
    },
  };
}

export function commitment(record: CommitmentRecord, catalogue: CertificateCatalogue): Commitment {
  const type = catalogue.certificates.get(record.certificate);
  return {
    id: record.id,
    matter: record.matter,
    caseNumber: record.caseNumber,
    certificate: type ? certificateType(type) : removedType(record.certificate),
    role: record.role,
    subjectKind: record.subjectKind as SubjectKindValue,
    subject: record.subjectKey,
    status: record.status as CommitmentStatus,
    statement: record.statement,
    reason: record.reason,
    reasonCode: record.reasonCode,
    recordedBy: record.recordedBy,
    operator: record.operator,
    recordedAt: record.recordedAt,
    checks: record.checks,
    lastCheckedAt: record.lastCheckedAt,
    resolvedAt: record.resolvedAt,
    resolution: record.resolution,
    resolutionCode: record.resolutionCode,
  };
}

/** A commitment can outlive its certificate type in the catalogue; it is still listed. */
const removedType = (id: string): CertificateType => ({
  id,
  nameZh: id,
  nameEn: id,
  description: "no longer in the catalogue",
  subjectKind: SubjectKindValue.PERSON,
  department: "",
  parameters: {},
  registries: [],
  validity: "",
  operation: "",
  rule: "",
  reasons: [],
});
