import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateWindow, takeDown, type CertificateWindow } from "../support/certificates";
import { startTestStack, type TestStack } from "../support/stack";

// Commitments (告知承诺) belong to the department that recorded them: its windows see and
// re-check them; another department's window serving the same matter sees none of them.

const MATTER = "public-rental-housing";
const CASE = "CASE-ISOLATION-1";

let t: TestStack;
let hall: CertificateWindow;
let colleague: CertificateWindow;
let housing: CertificateWindow;
let restore: () => Promise<void>;
let recorded: string;

const pending = (window: CertificateWindow, caseNumber?: string) =>
  t.gql<{ pendingCommitments: { id: string; operator: string; statement: string }[] }>(
    `query($c: String) { pendingCommitments(caseNumber: $c) { id operator statement } }`,
    { c: caseNumber ?? null },
    window.headers(MATTER),
  );

beforeAll(async () => {
  t = await startTestStack();
  hall = await certificateWindow(t, "hall-window-a");
  colleague = await certificateWindow(t, "hall-window-b");
  // The matter's own department may serve it too (public-rental-housing.yaml).
  housing = await certificateWindow(t, "housing-window", {
    department: "housing-and-urban-rural-development",
  });
  restore = await takeDown(t, "social-insurance");
  const record = await t.gql<{ recordCommitment: { id: string; status: string } }>(
    `mutation($input: CommitmentInput!) { recordCommitment(input: $input) { id status } }`,
    {
      input: {
        matter: MATTER,
        certificate: "contribution-months",
        subject: { idNumber: t.sample("person-no-home-12-months") },
        statement: "本人承诺连续缴费满十二个月",
      },
    },
    hall.headers(MATTER, CASE),
  );
  expect(record.errors).toBeUndefined();
  expect(record.data!.recordCommitment.status).toBe("PENDING");
  recorded = record.data!.recordCommitment.id;
}, 120_000);

afterAll(async () => {
  await restore?.();
  await t?.stop();
});

describe("commitments of another department", () => {
  it("are seen by every window of the department that recorded them", async () => {
    for (const window of [hall, colleague]) {
      const reply = await pending(window, CASE);
      expect(reply.errors).toBeUndefined();
      expect(reply.data!.pendingCommitments).toEqual([
        { id: recorded, operator: "clerk-042", statement: "本人承诺连续缴费满十二个月" },
      ]);
    }
  });

  it("are neither listed nor re-checked for a window of another department serving the matter", async () => {
    for (const caseNumber of [CASE, undefined]) {
      const reply = await pending(housing, caseNumber);
      expect(reply.errors).toBeUndefined();
      expect(reply.data!.pendingCommitments).toEqual([]);
    }
    const recheck = await t.gql<{ recheckCommitments: unknown[] }>(
      `mutation($c: String) { recheckCommitments(caseNumber: $c) { id } }`,
      { c: CASE },
      housing.headers(MATTER),
    );
    expect(recheck.errors).toBeUndefined();
    expect(recheck.data!.recheckCommitments).toEqual([]);
    expect((await pending(hall, CASE)).data!.pendingCommitments.map((c) => c.id)).toEqual([recorded]);
  });
});
