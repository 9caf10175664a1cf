import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateWindow, type CertificateWindow } from "../support/certificates";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * The supervision scorecard's figures: matter checks by outcome (the share decided from the
 * shared data alone), proofs issued per certificate type, and data calls per department and day,
 * as an auditor client reads them.
 */

interface Figures {
  perMatter: {
    matter: string;
    checks: number;
    satisfied: number;
    notSatisfied: number;
    commitments: number;
  }[];
  proofsIssued: { certificate: string; count: number }[];
}

let t: TestStack;
let window: CertificateWindow;
let auditorKey = "";
let base = "";

const read = async <T>(path: string) => {
  const response = await fetch(`${base}/admin${path}`, {
    headers: { authorization: `Bearer ${auditorKey}` },
  });
  expect(response.status, path).toBe(200);
  return ((await response.json()) as { data: T }).data;
};

beforeAll(async () => {
  t = await startTestStack();
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
  window = await certificateWindow(t, "scorecard-window");
  const { identity } = t.stack.gateway.access;
  auditorKey = (
    await identity.createClient({
      name: "scorecard-auditor",
      role: "auditor",
      department: "data-administration-bureau",
    })
  ).apiKey;
});
afterAll(() => t?.stop());

describe("the supervision figures", () => {
  it("count each matter check by outcome and each proof issued", async () => {
    const headers = window.headers("public-rental-housing");
    const check = (query: string, sample: string) => t.gql(query, { id: t.sample(sample) }, headers);
    const checkMatter = `query($id: IdNumber!) { checkMatter(matter: "public-rental-housing", subjects: [{ idNumber: $id }]) { outcome } }`;
    const issue = `mutation($id: IdNumber!) { issueProofs(matter: "public-rental-housing", subjects: [{ idNumber: $id }]) { outcome verdicts { proof { token } } } }`;
    expect((await check(checkMatter, "person-one-home")).errors).toBeUndefined();
    const issued = await check(issue, "person-no-home-12-months");
    expect(issued.errors).toBeUndefined();
    expect(JSON.stringify(issued.data)).toContain('"outcome":"SATISFIED"');

    // Counted in memory and written every two seconds.
    const deadline = Date.now() + 10_000;
    let figures = await read<Figures>("/audit/checks");
    while ((figures.perMatter[0]?.checks ?? 0) < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      figures = await read<Figures>("/audit/checks");
    }
    expect(figures.perMatter).toEqual([
      expect.objectContaining({
        matter: "public-rental-housing",
        checks: 2,
        satisfied: 1,
        notSatisfied: 1,
        commitments: 0,
      }),
    ]);
    expect(figures.proofsIssued).toEqual(
      ["contribution-months", "household-registration", "no-housing"].map((certificate) => ({
        certificate,
        count: 1,
      })),
    );
  });

  it("give the data calls per department and day", async () => {
    const stats = await read<{ perDepartmentDay: { key: string; day: string; calls: number }[] }>(
      "/audit/stats",
    );
    const today = stats.perDepartmentDay.find((row) => row.key === "government-service-center");
    expect(today?.calls).toBeGreaterThanOrEqual(2);
    expect(today?.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("are the auditors' to read, not a window's", async () => {
    const response = await fetch(`${base}/admin/audit/checks`, {
      headers: { authorization: `Bearer ${window.apiKey}` },
    });
    expect(response.status).toBe(403);
  });
});
