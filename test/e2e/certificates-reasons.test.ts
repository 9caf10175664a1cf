import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "@onecert/cli";
import { certificateWindow, type CertificateWindow } from "../support/certificates";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * Verdict reasons as a clerk's application uses them: a stable code and its parameters, the text
 * in Chinese or English, the templates in the catalogue; an ID number no registry holds, which
 * takes no commitment; and the exit codes of `onecert check`.
 */

let t: TestStack;
let window: CertificateWindow;
// A well-formed ID number (its check character holds) outside the synthetic world's 99 regions.
const UNKNOWN_ID = "11010519491231002X";

beforeAll(async () => {
  t = await startTestStack();
  window = await certificateWindow(t, "reasons-window");
});
afterAll(async () => {
  await t?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

interface Verdict {
  status: string;
  reasonCode: string;
  reasonParams: Record<string, unknown>;
  reason: string;
  reasonZh: string;
  commitmentAllowed: boolean;
}

async function verdictOf(idNumber: string, type: string): Promise<Verdict> {
  const reply = await t.gql<{ checkCertificates: Verdict[] }>(
    `query($subject: SubjectInput!, $type: ID!) { checkCertificates(subject: $subject, types: [$type]) {
      status reasonCode reasonParams reason reasonZh: reason(language: ZH) commitmentAllowed } }`,
    { subject: { idNumber }, type },
    window.headers("public-rental-housing"),
  );
  expect(reply.errors, JSON.stringify(reply.errors)).toBeUndefined();
  return reply.data!.checkCertificates[0];
}

describe("a verdict's reason", () => {
  it("carries a code and its parameters, and reads in Chinese or English", async () => {
    const verdict = await verdictOf(t.sample("person-one-home"), "no-housing");
    expect(verdict).toMatchObject({
      status: "NOT_SATISFIED",
      reasonCode: "OWNS_HOME_IN_CITY",
      reasonParams: { homesInCity: 1 },
      reason: "owns 1 residential unit(s) in the city",
      reasonZh: "在本市拥有住宅 1 套",
    });
  });

  it("is listed with its zh and en templates by the catalogue", async () => {
    const reply = await t.gql<{
      certificateTypes: {
        id: string;
        reasons: {
          outcome: string;
          code: string;
          when: string | null;
          params: string[];
          zh: string;
          en: string;
        }[];
      }[];
    }>(
      "{ certificateTypes { id reasons { outcome code when params zh en } } }",
      {},
      window.headers("public-rental-housing"),
    );
    expect(reply.errors, JSON.stringify(reply.errors)).toBeUndefined();
    const noHousing = reply.data!.certificateTypes.find((type) => type.id === "no-housing")!;
    expect(noHousing.reasons).toContainEqual({
      outcome: "NOT_SATISFIED",
      code: "OWNS_HOME_IN_CITY",
      when: null,
      params: ["homesInCity"],
      zh: "在本市拥有住宅 {homesInCity} 套",
      en: "owns {homesInCity} residential unit(s) in the city",
    });
    for (const type of reply.data!.certificateTypes)
      for (const entry of type.reasons) expect(entry.code, type.id).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });
});

describe("an ID number no registry holds", () => {
  it("is UNDETERMINED with SUBJECT_NOT_FOUND, for every certificate", async () => {
    for (const type of ["household-registration", "no-housing", "contribution-months"]) {
      const verdict = await verdictOf(UNKNOWN_ID, type);
      expect([type, verdict.status, verdict.reasonCode]).toEqual([type, "UNDETERMINED", "SUBJECT_NOT_FOUND"]);
      expect(verdict.reasonZh).toContain("没有该主体的记录");
    }
  });

  it("takes no commitment (告知承诺): there is nothing a registry could confirm later", async () => {
    const reply = await t.gql(
      `mutation($input: CommitmentInput!) { recordCommitment(input: $input) { id } }`,
      {
        input: {
          matter: "public-rental-housing",
          certificate: "household-registration",
          subject: { idNumber: UNKNOWN_ID },
          statement: "本人承诺户籍登记在本市",
        },
      },
      window.headers("public-rental-housing", "CASE-UNKNOWN"),
    );
    expect(reply.data).toBeNull();
    expect(reply.errors?.[0]?.extensions).toMatchObject({
      code: "COMMITMENT_NOT_ALLOWED",
      reasonCode: "SUBJECT_NOT_FOUND",
    });
    expect(reply.errors?.[0]?.message).toContain("no registry holds this ID number");
    const pending = await t.gql<{ pendingCommitments: unknown[] }>(
      `{ pendingCommitments(caseNumber: "CASE-UNKNOWN") { id } }`,
      {},
      window.headers("public-rental-housing"),
    );
    expect(pending.data!.pendingCommitments).toEqual([]);
  });

  it("makes `onecert check` exit with 4 (undetermined), printing the code", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      ONECERT_URL: t.stack.gateway.url.replace(/\/graphql$/, ""),
      ONECERT_API_KEY: window.apiKey,
    });
    let stdout = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
    const code = await main([
      "check",
      "--matter",
      "public-rental-housing",
      "--id",
      UNKNOWN_ID,
      "--language",
      "zh",
    ]);
    vi.restoreAllMocks();
    process.env = saved;
    expect(code).toBe(4);
    expect(stdout).toMatch(
      /household-registration 户籍证明\s+applicant \S+\s+UNDETERMINED\s+SUBJECT_NOT_FOUND\s+人口登记库中没有该主体的记录/,
    );
  });
});
