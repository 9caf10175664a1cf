import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGatewayConfig, startGateway } from "@onecert/gateway";
import { makeUscc, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { mattersWith } from "../support/matters";
import { startTestStack, type TestStack } from "../support/stack";
import { runCli } from "../support/cli";

/**
 * The departments directory on a running gateway: the seeded departments listed, one added, and
 * a client, a subgraph or a matter naming a department the directory does not hold refused.
 */

const scratch = mkdtempSync(join(tmpdir(), "onecert-departments-"));
let t: TestStack;
let base = "";

async function admin(method: "GET" | "POST", path: string, body?: unknown) {
  const response = await fetch(`${base}/admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${t.keys.admin}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as {
    data?: unknown;
    error?: { code: string; message: string; details?: unknown };
  };
  return { status: response.status, ...json };
}

/** Runs `onecert ...` in this process against the test gateway as its admin. */
const cli = (args: string[]) => runCli(base, t.keys.admin, args);

beforeAll(async () => {
  t = await startTestStack({ gateway: { supergraph: { kind: "registry", path: SUPERGRAPH_PATH } } });
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
});
afterAll(async () => {
  await t?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("the departments directory", () => {
  it("lists the departments the shipped configuration names, with their names", async () => {
    const listed = await cli(["department", "list", "--json"]);
    expect(listed.code).toBe(0);
    const departments = JSON.parse(listed.stdout) as { code: string; nameZh: string; nameEn: string }[];
    expect(departments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: "public-security",
          nameZh: "公安局",
          nameEn: "Public Security Bureau",
        }),
        expect.objectContaining({ code: "civil-affairs", nameZh: "民政局" }),
        expect.objectContaining({ code: "market-regulation", nameZh: "市场监督管理局" }),
        expect.objectContaining({ code: "data-administration-bureau", nameZh: "数据管理局" }),
      ]),
    );
    const table = await cli(["department", "list"]);
    expect(table.stdout).toMatch(/^CODE\s+NAME \(ZH\)/);
    expect(table.stdout).toContain("human-resources-social-security");
  });

  it("adds a department through the CLI, once", async () => {
    const creditCode = makeUscc("1", "1", "320100", "MB1234567");
    const args = ["--name-zh", "税务局", "--name-en", "Taxation Bureau", "--credit-code", creditCode];
    const added = await cli(["department", "add", "taxation", ...args, "--contact", "信息中心"]);
    expect(added).toMatchObject({
      code: 0,
      stdout: "Added department taxation: 税务局 (Taxation Bureau).\n",
    });
    const shown = await cli(["department", "show", "taxation", "--json"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ code: "taxation", creditCode, contact: "信息中心" });
    const again = await cli(["department", "add", "taxation", ...args]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("(409 DEPARTMENT_EXISTS)");
    const bad = await admin("POST", "/departments", {
      code: "customs",
      nameZh: "海关",
      nameEn: "Customs",
      creditCode: creditCode.slice(0, 17) + (creditCode.endsWith("1") ? "2" : "1"),
    });
    expect(bad).toMatchObject({
      status: 400,
      error: { code: "BAD_REQUEST", message: expect.stringContaining("creditCode") },
    });
    // The client of the department just added is accepted.
    const client = await admin("POST", "/clients", {
      name: "tax-window",
      role: "window",
      department: "taxation",
    });
    expect(client.status).toBe(201);
    // A record is changed by the admin too; the code stays what clients and matters name.
    const updated = await cli(["department", "update", "taxation", "--contact", "办公室", "--json"]);
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ code: "taxation", creditCode, contact: "办公室" });
  });

  it("refuses a client of an unknown department with UNKNOWN_DEPARTMENT and a suggestion", async () => {
    const typo = await admin("POST", "/clients", {
      name: "hall-typo",
      role: "window",
      department: "civil-afairs",
    });
    expect(typo).toMatchObject({
      status: 400,
      error: {
        code: "UNKNOWN_DEPARTMENT",
        message:
          'department "civil-afairs" is not in the departments directory (did you mean "civil-affairs"?)',
        details: { department: "civil-afairs", suggestion: "civil-affairs" },
      },
    });
    const created = await cli([
      "client",
      "create",
      "--name",
      "hall-typo",
      "--role",
      "window",
      "--department",
      "pubic-security",
    ]);
    expect(created.code).toBe(1);
    expect(created.stderr).toContain('did you mean "public-security"?');
    expect(created.stderr).toContain("UNKNOWN_DEPARTMENT");
  });

  it("refuses a subgraph registration naming an unknown department", async () => {
    const sdl = "type Query { forecast: String }";
    const refused = await admin("POST", "/subgraphs", {
      name: "weather",
      department: "weather-bureau",
      url: "http://127.0.0.1:9/graphql",
      sdl,
    });
    expect(refused).toMatchObject({
      status: 400,
      error: { code: "UNKNOWN_DEPARTMENT", details: { suggestion: null } },
    });
    const schema = join(scratch, "weather.graphql");
    writeFileSync(schema, sdl);
    const cliRefused = await cli([
      "subgraph",
      "register",
      "weather",
      "--url",
      "http://127.0.0.1:9/graphql",
      "--schema",
      schema,
      "--department",
      "market-regulaton",
    ]);
    expect(cliRefused.code).toBe(1);
    expect(cliRefused.stderr).toContain('did you mean "market-regulation"?');
    expect((await admin("GET", "/subgraphs/weather")).status).toBe(404);
  });

  it("stops a gateway whose matters name a department the directory does not hold", async () => {
    const file = join(scratch, "typo-matter.yaml");
    writeFileSync(
      file,
      [
        "code: typo-matter",
        "name: { zh: 测试事项, en: Typo matter }",
        "department: civil-afairs",
        "fields: [Person.name]",
        "admits:",
        "  departments: [government-service-center, weather-bureau]",
        "",
      ].join("\n"),
    );
    const matters = mattersWith(file);
    try {
      const started = startGateway(loadGatewayConfig(process.env, { port: 0, mattersDir: matters.dir }), {
        db: t.stack.db,
        withoutAudit: true,
      });
      const error = (await started.then(
        (gateway) => gateway.stop().then(() => null),
        (caught: unknown) => caught,
      )) as Error | null;
      expect(error?.message).toContain(
        `${join(matters.dir, "typo-matter.yaml")}: department: department "civil-afairs" is not in the departments directory (did you mean "civil-affairs"?)`,
      );
      expect(error?.message).toContain('admits.departments: department "weather-bureau"');
    } finally {
      matters.cleanup();
    }
  });

  it("stops a gateway whose matter file has an unknown key, naming file, line and column", async () => {
    const file = join(scratch, "misspelt-matter.yaml");
    writeFileSync(
      file,
      [
        "code: misspelt-matter",
        "name: { zh: 测试事项, en: Misspelt matter }",
        "department: civil-affairs",
        "fieldz: [Person.name]",
        "",
      ].join("\n"),
    );
    const matters = mattersWith(file);
    try {
      const started = startGateway(loadGatewayConfig(process.env, { port: 0, mattersDir: matters.dir }), {
        db: t.stack.db,
        withoutAudit: true,
      });
      const error = (await started.then(
        (gateway) => gateway.stop().then(() => null),
        (caught: unknown) => caught,
      )) as Error | null;
      expect(error?.message).toMatch(/misspelt-matter\.yaml:4:1: unknown key "fieldz" in matter/);
    } finally {
      matters.cleanup();
    }
  });
});
