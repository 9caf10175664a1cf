import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "@onecert/cli";
import { cryptoSuiteFromEnv } from "@onecert/subgraph-kit";
import { certificateWindow, type CertificateWindow } from "../support/certificates";
import { startTestStack, type TestStack } from "../support/stack";

/** Signed proofs end to end: issue, publish, verify online and offline, tamper, rotate; and the CLI. */

let t: TestStack;
let window: CertificateWindow;
let base: string;
const savedEnv = { ...process.env };
const scratch = mkdtempSync(join(tmpdir(), "onecert-proofs-"));

beforeAll(async () => {
  t = await startTestStack();
  window = await certificateWindow(t, "proof-window");
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
});
afterAll(async () => {
  await t?.stop();
});
afterEach(() => {
  process.env = { ...savedEnv };
  vi.restoreAllMocks();
});

/** Runs `onecert ...` in this process against the test gateway. */
async function cli(args: string[], apiKey = window.apiKey) {
  Object.assign(process.env, { ONECERT_URL: base, ONECERT_API_KEY: apiKey });
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

type Issued = {
  certificate: { id: string };
  status: string;
  evidence: unknown;
  proof: { token: string; keyId: string; evidenceDigest: string } | null;
};

async function issue(caseId: string): Promise<Issued[]> {
  const reply = await t.gql<{ issueProofs: { verdicts: Issued[] } }>(
    `mutation($id: IdNumber!) { issueProofs(matter: "public-rental-housing", subjects: [{ idNumber: $id }]) {
      verdicts { certificate { id } status evidence proof { token keyId evidenceDigest } } } }`,
    { id: t.sample(caseId) },
    window.headers("public-rental-housing", "PRH-2030-0001"),
  );
  expect(reply.errors, JSON.stringify(reply.errors)).toBeUndefined();
  return reply.data!.issueProofs.verdicts;
}

async function verifyOnline(token: string) {
  const reply = await t.gql<{
    verifyProof: {
      valid: boolean;
      code: string | null;
      keyId: string;
      claims: Record<string, unknown> | null;
    };
  }>(
    `query($token: String!) { verifyProof(token: $token) { valid code reason keyId
      claims { certificate subject verdict evidenceDigest matter caseNumber registries } } }`,
    { token },
    window.headers("proof-verification"),
  );
  return reply.data!.verifyProof;
}

const jwks = async () =>
  (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: { kid: string; alg: string }[] };

describe("proofs", () => {
  let first: Issued[];
  beforeAll(async () => {
    first = await issue("person-no-home-12-months");
  });

  it("are signed only for SATISFIED verdicts, over a digest of the evidence", async () => {
    expect(first.map((v) => [v.certificate.id, v.status, !!v.proof])).toEqual([
      ["household-registration", "SATISFIED", true],
      ["no-housing", "SATISFIED", true],
      ["contribution-months", "SATISFIED", true],
    ]);
    const mixed = await issue("person-one-home");
    expect(mixed.find((v) => v.certificate.id === "no-housing")).toMatchObject({
      status: "NOT_SATISFIED",
      proof: null,
    });
  });

  it("verify through the gateway (verifyProof) with the masked subject and the matter's case", async () => {
    const proof = first[1].proof!;
    const result = await verifyOnline(proof.token);
    expect(result).toMatchObject({ valid: true, code: null, keyId: proof.keyId });
    expect(result.claims).toMatchObject({
      certificate: "no-housing",
      verdict: "SATISFIED",
      evidenceDigest: proof.evidenceDigest,
      matter: "public-rental-housing",
      caseNumber: "PRH-2030-0001",
      registries: ["population", "property"],
    });
    expect(result.claims!.subject).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  });

  it("publish their keys at /.well-known/jwks.json without authentication", async () => {
    const response = await fetch(`${base}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as {
      keys: { kid: string; kty: string; crv: string; alg: string; d?: string }[];
    };
    const key = keys.find((candidate) => candidate.kid === first[0].proof!.keyId);
    // OKP/Ed25519/EdDSA in the standard suite, EC/SM2/SM2 in the national one (CRYPTO_SUITE).
    const suite = cryptoSuiteFromEnv(process.env);
    expect(key).toMatchObject({ ...suite.jwkType, alg: suite.jwsAlg });
    expect(key!.d).toBeUndefined();
  });

  it("verify offline with `onecert proof verify --jwks FILE`; an altered one fails with the reason", async () => {
    const file = join(scratch, "jwks.json");
    writeFileSync(file, JSON.stringify(await jwks()));
    const token = first[0].proof!.token;
    const good = await cli(["proof", "verify", token, "--jwks", file]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/VALID proof[\s\S]*household-registration[\s\S]*SATISFIED/);
    const [head, body, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, "base64url").toString());
    const altered = `${head}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400 * 365 })).toString("base64url")}.${signature}`;
    const bad = await cli(["proof", "verify", altered, "--jwks", file]);
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.stdout).toContain("INVALID proof: PROOF_SIGNATURE_INVALID");
    expect((await verifyOnline(altered)).code).toBe("PROOF_SIGNATURE_INVALID");
  });

  it("survive a key rotation: the old key stays published, new proofs use the new key", async () => {
    const { identity } = t.stack.gateway.access;
    const admin = await identity.createClient({
      name: "proof-admin",
      role: "admin",
      department: "data-administration-bureau",
    });
    const rotated = await cli(["proof", "rotate", "--json"], admin.apiKey);
    expect(rotated.code, rotated.stderr).toBe(0);
    const newKid = (JSON.parse(rotated.stdout) as { kid: string }).kid;
    const oldKid = first[0].proof!.keyId;
    expect(newKid).not.toBe(oldKid);
    expect((await jwks()).keys.map((key) => key.kid).sort()).toEqual([oldKid, newKid].sort());
    const after = await issue("person-no-home-12-months");
    expect(after[0].proof!.keyId).toBe(newKid);
    expect((await verifyOnline(first[0].proof!.token)).valid).toBe(true);
    expect((await verifyOnline(after[0].proof!.token)).valid).toBe(true);
    const listed = await cli(["proof", "keys"], admin.apiKey);
    expect(listed.stdout).toMatch(new RegExp(`${oldKid}\\s+retired, published`));
  });
});

describe("onecert check", () => {
  it("prints a table of verdicts, reasons and evidence from the running gateway", async () => {
    const id = t.sample("person-one-home");
    const run = await cli(["check", "--matter", "public-rental-housing", "--id", id, "--case", "PRH-7"]);
    // 3: the matter is NOT_SATISFIED, so a script need not read the table to tell.
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toContain(
      "公共租赁住房申请 Public rental housing application (public-rental-housing): NOT_SATISFIED, case PRH-7",
    );
    expect(run.stdout).toMatch(/^CERTIFICATE\s+SUBJECT\s+VERDICT\s+CODE\s+REASON\s+EVIDENCE$/m);
    expect(run.stdout).toMatch(
      /no-housing 无房证明\s+applicant \d{6}\*{8}[\dX]{4}\s+NOT_SATISFIED\s+OWNS_HOME_IN_CITY\s+owns 1 residential unit\(s\) in the city\s+homesInCity=1/,
    );
  });

  it("--json gives the check as data, and a newborn takes both parents", async () => {
    const run = await cli([
      "check",
      "--matter",
      "newborn",
      "--subject",
      `father=${t.sample("couple-newborn-parent-a")}`,
      "--subject",
      `mother=${t.sample("couple-newborn-parent-b")}`,
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { outcome: string; verdicts: { role: string }[] };
    expect(result.outcome).toBe("SATISFIED");
    expect(result.verdicts.filter((v) => v.role === "mother")).toHaveLength(4);
  });

  it("explains a refusal with the gateway's code", async () => {
    const run = await cli(
      ["check", "--matter", "public-rental-housing", "--id", t.sample("person-one-home")],
      "oc_key_unknown_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("UNAUTHENTICATED");
  });
});
