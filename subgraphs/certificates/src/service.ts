import { badUserInput } from "@onecert/subgraph-kit";
import { GraphQLError } from "graphql";
import type { MaskingRules } from "@onecert/access";
import type { CertificateCatalogue, MatterPlan, SupergraphView } from "@onecert/catalogue";
import { overall, runChecks, type Verdict } from "./checker";
import { recheckPending, type RecheckFilter } from "./commitments/recheck";
import type { CommitmentRecord, CommitmentStore } from "./commitments/store";
import type { Caller, GatewayCall } from "./gateway-client";
import { planner, type ParameterOverride, type PlannedItem, type SubjectRef } from "./plan";
import { verifyProofToken, type ProofCheck, type ProofKeyStore } from "./proofs";
import { issueProofs, type IssuedProof } from "./proofs/issue";
import type { CheckStats } from "./stats/recorder";

export interface CertificatesServiceOptions {
  catalogue: CertificateCatalogue;
  supergraph: SupergraphView;
  call: GatewayCall;
  keys: ProofKeyStore;
  commitments: CommitmentStore;
  masking: MaskingRules;
  /** `iss` of every proof. Default "onecert". */
  issuer?: string;
  /** Where each matter check and each proof issued is counted, for the supervision figures. Default none. */
  stats?: CheckStats;
  now?: () => Date;
}

export type { IssuedProof };

export interface MatterOutcome {
  matter: MatterPlan;
  caseNumber: string | null;
  outcome: Verdict["status"];
  verdicts: (Verdict & { proof: IssuedProof | null })[];
  checkedAt: Date;
}

export interface MatterRequest {
  matter: string;
  subjects: readonly SubjectRef[];
  parameters?: readonly ParameterOverride[] | null;
  types?: readonly string[] | null;
}

export interface CommitmentRequest {
  matter: string;
  certificate: string;
  subject: SubjectRef;
  statement: string;
}

function sameMatter(caller: Caller, matter: string): void {
  if (caller.matterCode !== matter) {
    throw badUserInput(
      `matter ${matter.slice(0, 64)} must be the matter this request serves (x-matter-code: ${caller.matterCode ?? "none"})`,
      "matter",
    );
  }
}

/** Checks, proofs and commitments: what the certificates subgraph's resolvers call. */
export function createCertificatesService(options: CertificatesServiceOptions) {
  const { catalogue, call, keys, commitments, masking } = options;
  const issuer = options.issuer ?? "onecert";
  const now = options.now ?? (() => new Date());
  const plan = planner(catalogue, options.supergraph);
  const check = (items: readonly PlannedItem[], caller: Caller) => runChecks(items, caller, call, now);

  async function matterOutcome(
    caller: Caller,
    request: MatterRequest,
    proofs: boolean,
  ): Promise<MatterOutcome> {
    sameMatter(caller, request.matter);
    const items = plan.forMatter(request.matter, request.subjects, request.parameters ?? [], request.types);
    const verdicts = await check(items, caller);
    const issued = proofs
      ? await issueProofs(verdicts, caller, { keys, masking, issuer })
      : new Map<Verdict, IssuedProof>();
    const at = now();
    options.stats?.check(request.matter, overall(verdicts), at);
    for (const verdict of issued.keys()) options.stats?.proof(request.matter, verdict.certificate.id, at);
    return {
      matter: plan.matterOf(request.matter),
      caseNumber: caller.caseNumber,
      outcome: overall(verdicts),
      verdicts: verdicts.map((verdict) => ({ ...verdict, proof: issued.get(verdict) ?? null })),
      checkedAt: verdicts[0]?.checkedAt ?? now(),
    };
  }

  return {
    catalogue,
    /** Checks planned items as `caller` (the re-check job's entry). */
    checkItems: check,
    checkMatter: (caller: Caller, request: MatterRequest) => matterOutcome(caller, request, false),
    issueProofs: (caller: Caller, request: MatterRequest) => matterOutcome(caller, request, true),

    async checkCertificates(
      caller: Caller,
      request: {
        subject: SubjectRef;
        types: readonly string[];
        parameters?: readonly ParameterOverride[] | null;
      },
    ): Promise<Verdict[]> {
      if (!caller.matterCode)
        throw badUserInput("x-matter-code header is required: the matter served", "matter");
      const items = plan.forTypes(
        caller.matterCode,
        request.subject,
        request.types,
        request.parameters ?? [],
      );
      return check(items, caller);
    },

    async verifyProof(token: string): Promise<ProofCheck> {
      const published = await keys.published();
      return verifyProofToken(
        token,
        published.map((key) => key.publicJwk),
        { issuer, now: now() },
      );
    },

    /** Records a commitment for a certificate the shared data cannot decide right now (checked again here). */
    async recordCommitment(
      caller: Caller,
      client: { id: string; department: string },
      request: CommitmentRequest,
    ): Promise<CommitmentRecord> {
      sameMatter(caller, request.matter);
      if (!caller.caseNumber)
        throw badUserInput("x-case-number header is required to record a commitment", "caseNumber");
      const statement = request.statement.trim();
      if (statement.length === 0 || statement.length > 2000)
        throw badUserInput("statement must be 1-2000 characters", "statement");
      const item = plan.forCommitment(request.matter, request.certificate, request.subject);
      if (!item.commitmentAllowed) {
        throw new GraphQLError(
          `matter ${request.matter} does not accept a commitment for ${item.certificate.id}`,
          {
            extensions: { code: "COMMITMENT_NOT_ALLOWED" },
          },
        );
      }
      const [verdict] = await check([item], caller);
      if (verdict.reasonCode === "SUBJECT_NOT_FOUND") {
        // A commitment vouches for facts a registry will later confirm; none holds this subject.
        throw new GraphQLError(
          `no registry holds this ${item.subjectKind === "person" ? "ID number" : "credit code"}: a commitment for ${item.certificate.id} cannot be recorded (${verdict.reason})`,
          { extensions: { code: "COMMITMENT_NOT_ALLOWED", reasonCode: verdict.reasonCode } },
        );
      }
      if (verdict.status !== "UNDETERMINED") {
        throw new GraphQLError(
          `the shared data decides ${item.certificate.id}: ${verdict.status} (${verdict.reason}); no commitment is needed`,
          {
            extensions: {
              code: "COMMITMENT_NOT_NEEDED",
              status: verdict.status,
              reasonCode: verdict.reasonCode,
            },
          },
        );
      }
      const { record } = await commitments.record({
        matter: request.matter,
        caseNumber: caller.caseNumber,
        certificate: item.certificate.id,
        role: item.role,
        subjectKind: item.subjectKind,
        subjectKey: item.subjectKey,
        parameters: { ...item.parameters },
        statement,
        reason: verdict.reason,
        reasonCode: verdict.reasonCode,
        recordedBy: client.id,
        department: client.department,
        operator: caller.operatorId ?? "",
      });
      return record;
    },

    /** The caller's department's pending commitments of the matter served (and case): no other department's. */
    async pendingCommitments(
      caller: Caller,
      department: string,
      caseNumber: string | null,
    ): Promise<CommitmentRecord[]> {
      if (!caller.matterCode)
        throw badUserInput("x-matter-code header is required: the matter served", "matter");
      return commitments.pending({ matter: caller.matterCode, caseNumber, department });
    },

    /** Re-checks pending commitments as `caller`; those the data now decides are resolved. */
    recheck: (caller: Caller, filter: RecheckFilter) =>
      recheckPending({ catalogue, commitments, check }, caller, filter),
  };
}

export type CertificatesService = ReturnType<typeof createCertificatesService>;
