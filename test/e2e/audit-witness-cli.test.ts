import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchange, scratchDir, testAuditConfig } from "../support/audit";
import { postGraphQL, startTestStack, type TestStack } from "../support/stack";

/**
 * The witness as the audit office runs it, on its own host: `onecert audit witness` against the
 * gateway's API keeps the signed tree heads; `audit prove` gives a record's inclusion proof, which
 * `audit check-proof` and the standalone verifier (one bundled file) check with the public key
 * alone; the standalone verifier checks an export against the witness too.
 */

const scratch = scratchDir("onecert-witness-cli-");
const witnessDir = join(scratch.dir, "witness");
const keysFile = join(scratch.dir, "keys.json");
const STANDALONE = "gateway/audit/dist/onecert-audit-verify.cjs";
let t: TestStack;
let base = "";
let env: Record<string, string>;

const run = (command: string, args: string[]) =>
  promisify(execFile)("node", [command, ...args], { env: { ...process.env, ...env } }).then(
    (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );
const cli = (...args: string[]) => run("gateway/cli/bin/onecert.cjs", ["audit", ...args]);

async function traffic(n: number) {
  for (let i = 0; i < n; i += 1)
    await postGraphQL(
      t.stack.gateway.url,
      "query($id: IdNumber!) { person(idNumber: $id) { status } }",
      {
        id: t.sample("person-showcase"),
      },
      t.headers,
    );
  await t.stack.gateway.audit!.checkpoint();
}

beforeAll(async () => {
  // Heads are signed when traffic() says, not by the timer: the witness's own API calls are
  // audited too, and a timer firing between two rounds would give the second a new head.
  t = await startTestStack({ gateway: { audit: testAuditConfig(scratch.dir, { checkpointSeconds: 3600 }) } });
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
  const auditor = await t.stack.gateway.access.identity.createClient({
    name: "witness-office",
    role: "auditor",
    department: "audit-office",
  });
  env = { ONECERT_URL: base, ONECERT_API_KEY: auditor.apiKey };
  writeFileSync(keysFile, JSON.stringify(await t.stack.gateway.audit!.store.publicKeys()));
}, 180_000);

afterAll(async () => {
  await t?.stop();
  scratch.cleanup();
});

describe("the audit witness and proofs", () => {
  it("keeps each new tree head with its consistency proof, and says when nothing is new", async () => {
    await traffic(3);
    const first = await cli("witness", "--once", "--dir", witnessDir, "--keys", keysFile);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^tree head \d+ \(.+\) kept\n$/) });
    await traffic(4);
    const second = await cli("witness", "--once", "--dir", witnessDir, "--keys", keysFile);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/tree head \d+ \(.+\) kept, consistent with \d+/);
    const again = await cli("witness", "--once", "--dir", witnessDir, "--keys", keysFile);
    expect(again).toMatchObject({ code: 0, stdout: "" });
    const kept = readFileSync(join(witnessDir, "tree-heads.jsonl"), "utf8").trim().split("\n");
    expect(kept).toHaveLength(2);
  });

  it("refuses a log signed by a key it was not given", async () => {
    const stranger = join(scratch.dir, "stranger.json");
    const generated = await cli("keygen", "--out", join(scratch.dir, "stranger.pem"));
    writeFileSync(stranger, `[${generated.stdout}]`);
    const refused = await cli("witness", "--once", "--dir", join(scratch.dir, "other"), "--keys", stranger);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/ALARM: the log's tree head of size \d+ is not to be trusted/);
  });

  it("proves a record's inclusion, checked offline by the CLI and by the standalone verifier", async () => {
    const proof = join(scratch.dir, "proof.json");
    expect(await cli("prove", "--record", "2", "--out", proof)).toMatchObject({ code: 0 });
    const checked = await cli("check-proof", proof, "--keys", keysFile);
    expect(checked).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("Record 2 is in the audit log's tree"),
    });
    expect(await run(STANDALONE, ["check-proof", proof, "--keys", keysFile])).toMatchObject({ code: 0 });
    const forged = JSON.parse(readFileSync(proof, "utf8")) as { recordHash: string };
    forged.recordHash = forged.recordHash.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    writeFileSync(proof, JSON.stringify(forged));
    const refused = await run(STANDALONE, ["check-proof", proof, "--keys", keysFile]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("The proof does NOT hold");
  });

  it("serves proofs to the audit office and departments only, and refuses sizes past the signed head", async () => {
    const asWindow = await exchange(`${base}/admin/audit/tree-head`, { headers: t.headers });
    expect(asWindow.status).toBe(403);
    const past = await exchange(`${base}/admin/audit/consistency?from=1&to=999999`, {
      headers: { authorization: `Bearer ${env.ONECERT_API_KEY}` },
    });
    expect(past.status).toBe(400);
    expect(past.text).toContain("past the largest signed tree head");
  });

  it("verifies an export with the standalone verifier against the witness", async () => {
    const exported = await fetch(`${base}/admin/audit/chain`, {
      headers: { authorization: `Bearer ${env.ONECERT_API_KEY}` },
    });
    const file = join(scratch.dir, "chain.ndjson");
    writeFileSync(file, await exported.text());
    const verified = await run(STANDALONE, [
      "verify",
      "--file",
      file,
      "--keys",
      keysFile,
      "--witness",
      witnessDir,
    ]);
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringContaining("Audit export verified") });
    // Cut short with an end line of its own making: the witness's larger heads are missing.
    const lines = readFileSync(file, "utf8").trim().split("\n");
    const records = lines.filter((line) => line.startsWith('{"type":"record"'));
    const last = JSON.parse(records[1]) as { seq: number; hash: string };
    const cut = [
      ...lines.filter((line) => !line.startsWith('{"type":"record"') && !line.startsWith('{"type":"end"')),
      ...records.slice(0, 2),
      JSON.stringify({ type: "end", records: 2, lastSeq: last.seq, lastHash: last.hash }),
    ].filter((line) => {
      const parsed = JSON.parse(line) as { type: string; seq?: number };
      return parsed.type !== "tree-head" && !(parsed.type === "checkpoint" && parsed.seq! > last.seq);
    });
    const cutFile = join(scratch.dir, "cut.ndjson");
    writeFileSync(cutFile, `${cut.join("\n")}\n`);
    const refused = await run(STANDALONE, [
      "verify",
      "--file",
      cutFile,
      "--keys",
      keysFile,
      "--witness",
      witnessDir,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(new RegExp(`FAILED verification at record ${last.seq + 1}: deleted`));
    expect(refused.stdout).toContain("the witness holds a tree head");
  });
});
