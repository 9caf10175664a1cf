import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGatewayConfig, startGateway } from "@onecert/gateway";
import { SCHEMA_DIR } from "@onecert/subgraph-kit";
import { startTestStack, type TestStack } from "../support/stack";
import { runCli } from "../support/cli";

/**
 * The live catalogue's seed and its export format: an empty database takes the YAML files as
 * version 1 of each entry, `onecert catalogue export` gives them back byte for byte, `import`
 * publishes what differs, and a restart with other files keeps what the database holds.
 */

const scratch = mkdtempSync(join(tmpdir(), "onecert-catalogue-live-"));
let t: TestStack;
let base = "";

const cli = (args: string[], key = t.keys.admin) => runCli(base, key, args);

beforeAll(async () => {
  t = await startTestStack();
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
});
afterAll(async () => {
  await t?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("the live catalogue's seed, export and import", () => {
  it("seeds an empty database with the 17 certificate types and 14 matters, exported byte for byte", async () => {
    const out = join(scratch, "export");
    const exported = await cli(["catalogue", "export", "--out", out]);
    expect(exported.stderr).toBe("");
    expect(exported.stdout).toMatch(/^Wrote 14 matters and 17 certificate types \(catalogue generation 31\)/);
    let compared = 0;
    for (const kind of ["matters", "certificates"]) {
      const shipped = readdirSync(join(SCHEMA_DIR, kind)).sort();
      expect(readdirSync(join(out, kind)).sort(), kind).toEqual(shipped);
      for (const file of shipped) {
        const same = readFileSync(join(out, kind, file)).equals(readFileSync(join(SCHEMA_DIR, kind, file)));
        expect(same, `${kind}/${file}`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBe(31);
  });

  it("imports a directory by publishing what differs, and refuses a broken one naming entry and line", async () => {
    const dir = join(scratch, "import");
    for (const kind of ["matters", "certificates"])
      cpSync(join(SCHEMA_DIR, kind), join(dir, kind), { recursive: true });
    const file = join(dir, "matters", "retirement.yaml");
    const renamed = readFileSync(file, "utf8").replace("en: Retirement life event", "en: Retirement");
    writeFileSync(file, renamed);
    const imported = await cli(["catalogue", "import", dir, "--reason", "shorter name"]);
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toContain("Published matter retirement v2.");
    expect(imported.stdout).toContain("Imported: 1 published, 30 unchanged.");
    const history = JSON.parse((await cli(["matter", "history", "retirement", "--json"])).stdout) as {
      versions: { version: number; source: string; live: boolean; reason: string }[];
    };
    expect(history.versions[0]).toMatchObject({
      version: 2,
      live: true,
      reason: "shorter name",
      source: renamed,
    });

    writeFileSync(file, renamed.replace("fields:\n", "fieldz: []\nfields:\n"));
    const broken = await cli(["catalogue", "import", dir]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${file}:10:1: unknown key "fieldz" in matter`);
    // A department may not publish: the import's approval is the bureau's.
    writeFileSync(file, renamed.replace("en: Retirement", "en: Retirement (pension)"));
    const { identity } = t.stack.gateway.access;
    const officer = await identity.createClient({
      name: "hr-officer",
      role: "department",
      department: "human-resources-social-security",
    });
    const refused = await cli(["catalogue", "import", dir], officer.apiKey);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("403 FORBIDDEN");
  });

  it("keeps the database's catalogue across a restart with other files", async () => {
    const empty = join(scratch, "empty");
    const restarted = await startGateway(
      loadGatewayConfig(process.env, {
        port: 0,
        mattersDir: empty,
        certificatesDir: empty,
        maxEventLoopDelayMs: 0,
      }),
      { db: t.stack.db },
    );
    try {
      const response = await fetch(restarted.url.replace(/\/graphql$/, "/admin/catalogue"), {
        headers: { authorization: `Bearer ${t.keys.admin}` },
      });
      const { data } = (await response.json()) as { data: { entries: { code: string; version: number }[] } };
      expect(data.entries).toHaveLength(31);
      expect(data.entries.find((entry) => entry.code === "retirement")?.version).toBeGreaterThanOrEqual(2);
    } finally {
      await restarted.stop();
    }
  });
});
