import { Share } from "@onecert/subgraph-kit";
import { GraphQLError } from "graphql";
import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { NON_DATA_ROLES } from "@onecert/access";
import type { MatterOutcome } from "../service";
import type { CertificatesContext } from "./context";
import { CheckCertificatesArgs, CheckMatterArgs, CommitmentInput, IssueProofsArgs } from "./inputs";
import * as map from "./map";
import { ProofVerification } from "./proof-types";
import { CertificateType, CertificateVerdict, Commitment, Matter, MatterCheck } from "./types";

const note = (ctx: CertificatesContext, verdicts: readonly { certificate: { id: string } }[]) => {
  for (const verdict of verdicts) ctx.checked.add(verdict.certificate.id);
};

function outcome(result: MatterOutcome, ctx: CertificatesContext): MatterCheck {
  note(ctx, result.verdicts);
  return {
    matter: map.matter(result.matter, ctx.service.catalogue),
    caseNumber: result.caseNumber,
    outcome: result.outcome as MatterCheck["outcome"],
    verdicts: result.verdicts.map(map.verdict),
    checkedAt: result.checkedAt,
  };
}

/** Only calling systems that may read registry data act on commitments (as the gateway's policy says). */
function dataClient(ctx: CertificatesContext) {
  const client = ctx.caller.client;
  if (!client)
    throw new GraphQLError("the gateway's assertion names no client", {
      extensions: { code: "UNAUTHENTICATED" },
    });
  if ((NON_DATA_ROLES as readonly string[]).includes(client.role)) {
    throw new GraphQLError(`role ${client.role} may not act on commitments`, {
      extensions: { code: "FORBIDDEN" },
    });
  }
  return client;
}

@Resolver()
export class CatalogueResolver {
  @Share("UNCONDITIONAL")
  @Query(() => [CertificateType], { description: "Every certificate type the shared data can verify." })
  certificateTypes(@Ctx() ctx: CertificatesContext): CertificateType[] {
    return [...ctx.service.catalogue.certificates.values()].map(map.certificateType);
  }

  @Share("UNCONDITIONAL")
  @Query(() => [Matter], { description: "Matters and life events, with the certificates each needs." })
  matters(@Ctx() ctx: CertificatesContext): Matter[] {
    return [...ctx.service.catalogue.matters.values()].map((plan) => map.matter(plan, ctx.service.catalogue));
  }

  @Share("UNCONDITIONAL")
  @Query(() => ProofVerification, {
    description: "Verifies a proof's signature, expiry and claims; no registry is called.",
  })
  async verifyProof(
    @Arg("token", () => String) token: string,
    @Ctx() ctx: CertificatesContext,
  ): Promise<ProofVerification> {
    return map.proofVerification(await ctx.service.verifyProof(token));
  }
}

@Resolver()
export class CheckResolver {
  @Share("UNCONDITIONAL")
  @Query(() => MatterCheck, {
    description:
      "Every proof the matter needs for its subjects, in one request (matter must equal x-matter-code).",
  })
  async checkMatter(
    @Args(() => CheckMatterArgs) args: CheckMatterArgs,
    @Ctx() ctx: CertificatesContext,
  ): Promise<MatterCheck> {
    return outcome(await ctx.service.checkMatter(ctx.caller, args), ctx);
  }

  @Share("UNCONDITIONAL")
  @Query(() => [CertificateVerdict], {
    description: "Some certificate types for one subject, under the matter in x-matter-code.",
  })
  async checkCertificates(
    @Args(() => CheckCertificatesArgs) args: CheckCertificatesArgs,
    @Ctx() ctx: CertificatesContext,
  ): Promise<CertificateVerdict[]> {
    const verdicts = await ctx.service.checkCertificates(ctx.caller, args);
    note(ctx, verdicts);
    return verdicts.map(map.verdict);
  }

  @Share("UNCONDITIONAL")
  @Mutation(() => MatterCheck, {
    description: "Checks the matter and signs a proof of every SATISFIED verdict.",
  })
  async issueProofs(
    @Args(() => IssueProofsArgs) args: IssueProofsArgs,
    @Ctx() ctx: CertificatesContext,
  ): Promise<MatterCheck> {
    return outcome(await ctx.service.issueProofs(ctx.caller, args), ctx);
  }
}

@Resolver()
export class CommitmentResolver {
  @Share("UNCONDITIONAL")
  @Query(() => [Commitment], {
    description: "Commitments of the matter in x-matter-code still waiting for a re-check.",
  })
  async pendingCommitments(
    @Arg("caseNumber", () => String, { nullable: true }) caseNumber: string | null,
    @Ctx() ctx: CertificatesContext,
  ): Promise<Commitment[]> {
    const client = dataClient(ctx);
    const records = await ctx.service.pendingCommitments(ctx.caller, client.department, caseNumber ?? null);
    return records.map((record) => map.commitment(record, ctx.service.catalogue));
  }

  @Share("UNCONDITIONAL")
  @Mutation(() => Commitment, {
    description:
      "Records the applicant's commitment (告知承诺) for a certificate that is UNDETERMINED now; needs x-case-number.",
  })
  async recordCommitment(
    @Arg("input", () => CommitmentInput) input: CommitmentInput,
    @Ctx() ctx: CertificatesContext,
  ): Promise<Commitment> {
    const client = dataClient(ctx);
    return map.commitment(
      await ctx.service.recordCommitment(ctx.caller, client, input),
      ctx.service.catalogue,
    );
  }

  @Share("UNCONDITIONAL")
  @Mutation(() => [Commitment], {
    description: "Checks this matter's pending commitments again; resolved ones leave the list.",
  })
  async recheckCommitments(
    @Arg("caseNumber", () => String, { nullable: true }) caseNumber: string | null,
    @Ctx() ctx: CertificatesContext,
  ): Promise<Commitment[]> {
    const client = dataClient(ctx);
    if (!ctx.caller.matterCode)
      throw new GraphQLError("x-matter-code header is required", { extensions: { code: "BAD_USER_INPUT" } });
    const records = await ctx.service.recheck(ctx.caller, {
      matter: ctx.caller.matterCode,
      caseNumber,
      department: client.department,
    });
    return records.map((record) => map.commitment(record, ctx.service.catalogue));
  }
}
