import { maskValue, type MaskingRules } from "@onecert/access";
import type { SubjectKind } from "@onecert/catalogue";
import type { Verdict } from "../checker";
import type { Caller } from "../gateway-client";
import type { ProofKeyStore } from "./keys";
import { evidenceDigest, signProof } from "./tokens";

/** A signed proof as the API returns it. */
export interface IssuedProof {
  token: string;
  keyId: string;
  evidenceDigest: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** The subject as a proof shows it: a person's ID number masked, an enterprise's code in clear. */
export const proofSubject = (masking: MaskingRules, kind: SubjectKind, key: string): string =>
  kind === "person" ? maskValue(masking, "IDENTIFIER", key) : key;

/**
 * Signs a proof of every SATISFIED verdict, valid as long as the verdict, for the matter and case
 * of the request; the key is kept published until the last of them expires, before any is handed out.
 */
export async function issueProofs(
  verdicts: readonly Verdict[],
  caller: Caller,
  options: { keys: ProofKeyStore; masking: MaskingRules; issuer: string },
): Promise<Map<Verdict, IssuedProof>> {
  const satisfied = verdicts.filter((verdict) => verdict.status === "SATISFIED" && verdict.validUntil);
  const issued = new Map<Verdict, IssuedProof>();
  if (satisfied.length === 0) return issued;
  const key = await options.keys.signingKey();
  for (const verdict of satisfied) {
    const digest = evidenceDigest(verdict.evidence);
    const token = await signProof(key, options.issuer, {
      certificate: verdict.certificate.id,
      subject: proofSubject(options.masking, verdict.subjectKind, verdict.subjectKey),
      subjectKind: verdict.subjectKind,
      verdict: verdict.status,
      evidenceDigest: digest,
      registries: verdict.certificate.registries,
      matter: caller.matterCode,
      caseNumber: caller.caseNumber,
      issuedAt: verdict.checkedAt,
      expiresAt: verdict.validUntil!,
    });
    const proof = { token, keyId: key.kid, evidenceDigest: digest, issuedAt: verdict.checkedAt };
    issued.set(verdict, { ...proof, expiresAt: verdict.validUntil! });
  }
  const last = Math.max(...[...issued.values()].map((proof) => proof.expiresAt.getTime()));
  await options.keys.noteSigned(key.kid, new Date(last));
  return issued;
}
