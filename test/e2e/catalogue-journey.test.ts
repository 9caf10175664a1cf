import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGatewayConfig, startGateway, urlVariable, type RunningGateway } from "@onecert/gateway";
import { GATEWAY_JWKS_PATH, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import type { RunningDepartmentSubgraph } from "../fixtures/department/server";
import {
  accountsOf,
  PROVIDENT_FUND_CERTIFICATE_FILE,
  PROVIDENT_FUND_DEPARTMENT,
  PROVIDENT_FUND_LOAN_MATTER_FILE,
  PROVIDENT_FUND_SDL,
  startProvidentFund,
} from "../fixtures/provident-fund/server";
import { drive, type LoadReport } from "../support/gateway-process";
import { postGraphQL, startTestStack, TEST_MATTER, type TestStack } from "../support/stack";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../support/cli";

/**
 * The README's department walkthrough to its end, on two gateway replicas sharing a database and
 * with no restart: the housing provident fund centre registers its subgraph, proposes a
 * certificate type and a matter reading its fields, the bureau approves and publishes them, a
 * window checks subjects on either replica; a schema change that would break the published
 * certificate type is refused, and a matter version is rolled back. A steady load runs on both
 * replicas all along and must see no failed request.
 */

const MATTER = "provident-fund-loan";
let t: TestStack;
let second: RunningGateway;
let fund: RunningDepartmentSubgraph;
let base = "";
const keys = { centre: "", window: "" };
let load: Promise<LoadReport>;
let loading = true;
const subjects = { enough: "", short: "" };

/** Runs `onecert ...` in this process against the first replica with `key`. */
const cli = (key: string, args: string[]) => runCli(base, key, args);

const check = (gateway: string, id: string) =>
  postGraphQL<{ checkMatter: { outcome: string; verdicts: { status: string; reasonCode: string }[] } }>(
    gateway,
    `query($id: IdNumber!) { checkMatter(matter: "${MATTER}", subjects: [{ idNumber: $id }]) {
      outcome verdicts { status reasonCode } } }`,
    { id },
    { authorization: `Bearer ${keys.window}`, "x-operator-id": "fund-window-clerk", "x-matter-code": MATTER },
  );

/** Waits until both replicas and the certificates service serve the catalogue generation `at least`. */
async function servedEverywhere(atLeast: number) {
  const deadline = Date.now() + 5_000;
  const generations = () => [
    t.stack.gateway.catalogueGeneration(),
    second.catalogueGeneration(),
    t.stack.certificates.catalogueGeneration(),
  ];
  while (generations().some((g) => g < atLeast)) {
    if (Date.now() > deadline)
      throw new Error(`not served everywhere within 5 s: ${generations().join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function generation(): Promise<number> {
  const response = await fetch(`${base}/admin/catalogue`, {
    headers: { authorization: `Bearer ${t.keys.admin}` },
  });
  return ((await response.json()) as { data: { generation: number } }).data.generation;
}

beforeAll(async () => {
  const supergraph = { kind: "registry", path: SUPERGRAPH_PATH } as const;
  t = await startTestStack({ gateway: { supergraph } });
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
  const urls = Object.fromEntries(
    [...t.stack.registries, t.stack.certificates].map((service) => [urlVariable(service.name), service.url]),
  );
  second = await startGateway(
    loadGatewayConfig({ ...process.env, ...urls }, { port: 0, supergraph, maxEventLoopDelayMs: 0 }),
    { db: t.stack.db },
  );
  fund = await startProvidentFund({ jwksUrl: `${base}${GATEWAY_JWKS_PATH}` });
  const { identity } = t.stack.gateway.access;
  const client = (name: string, role: "department" | "window", department: string) =>
    identity.createClient({ name, role, department }).then((created) => created.apiKey);
  keys.centre = await client("fund-centre", "department", PROVIDENT_FUND_DEPARTMENT);
  keys.window = await client("fund-window", "window", "government-service-center");
  const rows = await t.stack.db.query<{ id_number: string }>(
    "SELECT id_number FROM population.persons WHERE status = 'ACTIVE' ORDER BY id_number LIMIT 200",
  );
  const months = (id: string) => accountsOf(id)[0].consecutiveMonthsDeposited!;
  subjects.enough = rows.map((r) => r.id_number).find((id) => months(id) >= 12)!;
  subjects.short = rows.map((r) => r.id_number).find((id) => months(id) >= 6 && months(id) < 12)!;
  // The steady load: a window's lookups on both replicas, from before the first publish to the end,
  // by a client whose rate limit is not what is under test.
  const loader = await identity.createClient({
    name: "steady-window",
    role: "window",
    department: "government-service-center",
    rateLimitPerMinute: 10_000_000,
  });
  load = drive({
    targets: [t.stack.gateway.url, second.url],
    concurrency: 4,
    total: 1_000_000,
    bodies: [
      {
        query: "query($id: IdNumber!) { person(idNumber: $id) { name } }",
        variables: { id: subjects.enough },
      },
    ],
    headers: {
      authorization: `Bearer ${loader.apiKey}`,
      "x-operator-id": "steady-clerk",
      "x-matter-code": TEST_MATTER,
    },
    prefix: "catalogue-load",
    stop: () => !loading,
  });
}, 180_000);

afterAll(async () => {
  loading = false;
  await load;
  await fund?.stop();
  await second?.stop();
  await t?.stop();
});

describe("a department's matter and certificate type, from proposal to a window's check", () => {
  it("registers the centre's subgraph, served by both replicas without a restart", async () => {
    const response = await fetch(`${base}/admin/subgraphs`, {
      method: "POST",
      headers: { authorization: `Bearer ${keys.centre}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "provident-fund", url: fund.url, sdl: PROVIDENT_FUND_SDL }),
    });
    expect(response.status).toBe(201);
    const deadline = Date.now() + 10_000;
    while (![t.stack.gateway, second].every((g) => g.schema()?.getType("DepositAccount"))) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it("publishes the centre's certificate type and matter after the bureau's review", async () => {
    const type = await cli(keys.centre, ["certificate-type", "check", PROVIDENT_FUND_CERTIFICATE_FILE]);
    expect(type.stdout + type.stderr).toContain("fits the live catalogue");
    expect(type.code).toBe(0);
    // The matter names the type, which is not live yet: the check says so, with the entry.
    const early = await cli(keys.centre, ["matter", "check", PROVIDENT_FUND_LOAN_MATTER_FILE]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain("provident-fund-deposit");

    const proposed = await cli(keys.centre, [
      "certificate-type",
      "propose",
      PROVIDENT_FUND_CERTIFICATE_FILE,
      "--reason",
      "deposit proof for loans",
    ]);
    expect(proposed.stdout).toContain("Proposed certificate-type provident-fund-deposit v1 (proposed)");
    const refused = await cli(keys.centre, [
      "certificate-type",
      "approve",
      "provident-fund-deposit",
      "1",
      "--reason",
      "mine",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("403 FORBIDDEN");
    for (const step of ["approve", "publish"])
      expect(
        (
          await cli(t.keys.admin, [
            "certificate-type",
            step,
            "provident-fund-deposit",
            "1",
            "--reason",
            "reviewed",
          ])
        ).code,
      ).toBe(0);

    const matter = await cli(keys.centre, [
      "matter",
      "propose",
      PROVIDENT_FUND_LOAN_MATTER_FILE,
      "--reason",
      "loan applications",
    ]);
    expect(matter.code).toBe(0);
    for (const step of ["approve", "publish"])
      expect((await cli(t.keys.admin, ["matter", step, MATTER, "1", "--reason", "reviewed"])).code).toBe(0);
    // Published through the first replica: the second, asked at once, looks again rather than
    // call the matter unknown.
    const atOnce = await check(second.url, subjects.enough);
    expect(atOnce.errors).toBeUndefined();
    expect(atOnce.data!.checkMatter.outcome).toBe("SATISFIED");
    await servedEverywhere(await generation());
  });

  it("checks a subject on either replica with the new matter", async () => {
    for (const gateway of [t.stack.gateway.url, second.url]) {
      const enough = await check(gateway, subjects.enough);
      expect(enough.errors).toBeUndefined();
      expect(enough.data!.checkMatter).toMatchObject({
        outcome: "SATISFIED",
        verdicts: [{ status: "SATISFIED", reasonCode: "DEPOSITS_ENOUGH_MONTHS" }],
      });
      const short = await check(gateway, subjects.short);
      expect(short.data!.checkMatter.verdicts[0]).toMatchObject({
        status: "NOT_SATISFIED",
        reasonCode: "DEPOSITS_TOO_FEW_MONTHS",
      });
    }
  });

  it("shows the centre who reads its fields, per day and client", async () => {
    const usage = async (key: string) => {
      const response = await fetch(`${base}/admin/subgraphs/provident-fund/usage`, {
        headers: { authorization: `Bearer ${key}` },
      });
      return {
        status: response.status,
        body: (await response.json()) as { data: { usage: { field: string; requests: number }[] } },
      };
    };
    // Counted in memory and written every few seconds.
    const deadline = Date.now() + 15_000;
    let read = await usage(keys.centre);
    while (!read.body.data.usage.some((row) => row.field === "DepositAccount.consecutiveMonthsDeposited")) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 500));
      read = await usage(keys.centre);
    }
    expect(read.status).toBe(200);
    const { identity } = t.stack.gateway.access;
    const other = await identity.createClient({
      name: "police-registrar",
      role: "department",
      department: "public-security",
    });
    expect((await usage(other.apiKey)).status).toBe(403);
  });

  it("refuses a schema change that would break the published certificate type", async () => {
    const response = await fetch(`${base}/admin/subgraphs/provident-fund/update`, {
      method: "POST",
      headers: { authorization: `Bearer ${keys.centre}`, "content-type": "application/json" },
      body: JSON.stringify({
        sdl: PROVIDENT_FUND_SDL.replace(
          /\n\s+"""\n\s+Months deposited[^]*?consecutiveMonthsDeposited: Int!/,
          "",
        ),
      }),
    });
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(409);
    expect(body.error.code).toBe("CATALOGUE_CONFLICT");
    expect(body.error.message).toContain("catalogue/certificate/provident-fund-deposit@v1");
  });

  it("rolls a matter version back on every replica", async () => {
    const dir = mkdtempSync(join(tmpdir(), "onecert-journey-"));
    const six = join(dir, `${MATTER}.yaml`);
    writeFileSync(
      six,
      readFileSync(PROVIDENT_FUND_LOAN_MATTER_FILE, "utf8").replace("{ months: 12 }", "{ months: 6 }"),
    );
    expect((await cli(keys.centre, ["matter", "propose", six, "--reason", "six months suffice"])).code).toBe(
      0,
    );
    for (const step of ["approve", "publish"])
      expect((await cli(t.keys.admin, ["matter", step, MATTER, "2", "--reason", "policy change"])).code).toBe(
        0,
      );
    await servedEverywhere(await generation());
    expect((await check(second.url, subjects.short)).data!.checkMatter.outcome).toBe("SATISFIED");

    const back = await cli(t.keys.admin, ["matter", "rollback", MATTER, "--reason", "policy withdrawn"]);
    expect(back.stdout).toContain(`Live again: matter ${MATTER} v1`);
    await servedEverywhere(await generation());
    expect((await check(t.stack.gateway.url, subjects.short)).data!.checkMatter.outcome).toBe(
      "NOT_SATISFIED",
    );
    const history = await cli(t.keys.admin, ["matter", "history", MATTER, "--json"]);
    const { releases } = JSON.parse(history.stdout) as {
      releases: { action: string; version: number; actor: string }[];
    };
    expect(releases.map((r) => `${r.action} v${r.version}`)).toEqual([
      "rollback v1",
      "publish v2",
      "publish v1",
    ]);
  });

  it("served every request of the steady load on both replicas", async () => {
    loading = false;
    const report = await load;
    const failed = [...report.answered].filter(([, status]) => status !== 200);
    expect(report.answered.size).toBeGreaterThan(50);
    expect(report.unanswered).toBe(0);
    expect(failed).toEqual([]);
  });
});
