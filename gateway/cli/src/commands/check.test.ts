import { afterEach, describe, expect, it, vi } from "vitest";
import { CHECK_EXIT, checkCommand } from "./check";
import { UsageError } from "./options";

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const verdict = (status: string, reasonCode: string, reason: string) => ({
  certificate: { id: "no-housing", nameZh: "无房证明" },
  role: "applicant",
  subject: "990202********3204",
  status,
  reasonCode,
  reasonParams: {},
  reason,
  evidence: {},
  registries: ["property"],
  validUntil: null,
  proof: null,
});

/** Runs `onecert check` against a gateway that answers `outcome` with one verdict. */
async function run(outcome: string, reasonCode: string, extra: string[] = []) {
  Object.assign(process.env, { ONECERT_URL: "http://gateway.test", ONECERT_API_KEY: "oc_key_test" });
  const fetch = vi.fn(async (_url: string, init: { body: string }) => {
    const body = JSON.parse(init.body) as { query: string };
    const result = {
      outcome,
      caseNumber: null,
      checkedAt: "2030-01-01T08:00:00.000Z",
      matter: { code: "public-rental-housing", nameZh: "公共租赁住房申请", nameEn: "Public rental housing" },
      verdicts: [
        verdict(outcome, reasonCode, body.query.includes("language: ZH") ? "在本市拥有住宅 1 套" : "owns 1"),
      ],
    };
    return new Response(JSON.stringify({ data: { checkMatter: result } }));
  });
  vi.stubGlobal("fetch", fetch);
  let stdout = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const code = await checkCommand([
    "--matter",
    "public-rental-housing",
    "--id",
    "990202199704193204",
    ...extra,
  ]);
  vi.restoreAllMocks();
  return { code, stdout, query: fetch.mock.calls[0][1].body };
}

describe("onecert check", () => {
  it("exits with the matter's outcome: 0 satisfied, 3 not satisfied, 4 undetermined", async () => {
    expect(CHECK_EXIT).toEqual({ SATISFIED: 0, NOT_SATISFIED: 3, UNDETERMINED: 4 });
    expect((await run("SATISFIED", "NO_HOME_IN_CITY")).code).toBe(0);
    const refused = await run("NOT_SATISFIED", "OWNS_HOME_IN_CITY");
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/^CERTIFICATE\s+SUBJECT\s+VERDICT\s+CODE\s+REASON\s+EVIDENCE$/m);
    expect(refused.stdout).toMatch(/NOT_SATISFIED\s+OWNS_HOME_IN_CITY\s+owns 1/);
    const unknown = await run("UNDETERMINED", "SUBJECT_NOT_FOUND", ["--json"]);
    expect(unknown.code).toBe(4);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ verdicts: [{ reasonCode: "SUBJECT_NOT_FOUND" }] });
  });

  it("asks for the reasons in the language given, English by default", async () => {
    expect((await run("SATISFIED", "X")).query).toContain("reason(language: EN)");
    const zh = await run("NOT_SATISFIED", "OWNS_HOME_IN_CITY", ["--language", "zh"]);
    expect(zh.stdout).toContain("在本市拥有住宅 1 套");
    await expect(run("SATISFIED", "X", ["--language", "fr"])).rejects.toBeInstanceOf(UsageError);
  });
});
