import { useEffect, useState } from "react";
import { graphql } from "../../lib/api";
import { TAG } from "../../lib/colours";

export type SubjectKind = "PERSON" | "ENTERPRISE";
export type VerdictStatus = "SATISFIED" | "NOT_SATISFIED" | "UNDETERMINED";

export interface Matter {
  code: string;
  nameZh: string;
  nameEn: string;
  subjects: { role: string; kind: SubjectKind; nameZh: string; nameEn: string }[];
  certificates: {
    certificate: { id: string; nameZh: string; nameEn: string };
    roles: string[];
    commitmentAllowed: boolean;
  }[];
}

export interface Verdict {
  certificate: { id: string; nameZh: string; nameEn: string };
  role: string | null;
  subjectKind: SubjectKind;
  subject: string;
  status: VerdictStatus;
  reasonCode: string;
  reasonParams: Record<string, unknown>;
  reasonZh: string;
  reasonEn: string;
  evidence: Record<string, unknown>;
  registries: string[];
  validUntil: string | null;
  commitmentAllowed: boolean;
  proof: { token: string; keyId: string; issuedAt: string; expiresAt: string } | null;
}

export interface MatterCheck {
  matter: { code: string; nameZh: string; nameEn: string };
  caseNumber: string | null;
  outcome: VerdictStatus;
  checkedAt: string;
  verdicts: Verdict[];
}

export const CHECK_FIELDS = `matter { code nameZh nameEn } caseNumber outcome checkedAt
  verdicts { certificate { id nameZh nameEn } role subjectKind subject status reasonCode reasonParams
    reasonZh: reason(language: ZH) reasonEn: reason(language: EN) evidence registries validUntil
    commitmentAllowed proof { token keyId issuedAt expiresAt } }`;

const MATTERS = `query Matters { matters { code nameZh nameEn
  subjects { role kind nameZh nameEn }
  certificates { certificate { id nameZh nameEn } roles commitmentAllowed } } }`;

const STORAGE_KEY = "onecert.matter";
/**
 * The matter the workbench starts on. The matter list is itself read under a matter (every data
 * request names one), so the console asks under the last one chosen, this one at first.
 */
export const DEFAULT_MATTER = "public-rental-housing";

export const storedMatter = (): string => localStorage.getItem(STORAGE_KEY) ?? DEFAULT_MATTER;
export const storeMatter = (code: string) => localStorage.setItem(STORAGE_KEY, code);

/** The matters this window may serve; each lists the subjects and proofs it needs. */
export function useMatters(): { matters: Matter[] | null; error: Error | null } {
  const [matters, setMatters] = useState<Matter[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    graphql<{ matters: Matter[] }>(MATTERS, {}, { matter: storedMatter() }).then(
      (data) => setMatters(data.matters),
      (failure: Error) => setError(failure),
    );
  }, []);
  return { matters, error };
}

export const STATUS_COLOURS: Record<VerdictStatus, string> = {
  SATISFIED: TAG.green,
  NOT_SATISFIED: TAG.red,
  UNDETERMINED: TAG.orange,
};
