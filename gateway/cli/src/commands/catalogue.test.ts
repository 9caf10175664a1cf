import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SCHEMA_DIR } from "@onecert/subgraph-kit";
import { catalogueCommand } from "./catalogue";
import { UsageError } from "./options";

afterEach(() => vi.restoreAllMocks());

const temp = () => mkdtempSync(join(tmpdir(), "onecert-catalogue-cli-"));

/** A copy of the shipped catalogue in the layout export writes and import reads. */
function shippedCopy(): string {
  const dir = temp();
  for (const kind of ["matters", "certificates"])
    cpSync(join(SCHEMA_DIR, kind), join(dir, kind), { recursive: true });
  return dir;
}

/** Runs `onecert catalogue ...` with `env`, capturing what it prints. */
async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await catalogueCommand(args, env), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

// Export and import against a running gateway's live catalogue: test/e2e/catalogue-live.test.ts.
describe("onecert catalogue", () => {
  it("import --check passes the shipped catalogue and refuses a broken copy, naming file and line", async () => {
    const good = shippedCopy();
    expect((await run(["import", good, "--check"])).code).toBe(0);

    const broken = shippedCopy();
    const matter = join(broken, "matters", "retirement.yaml");
    writeFileSync(matter, readFileSync(matter, "utf8").replace("fields:\n", "fieldz: []\nfields:\n"));
    const type = join(broken, "certificates", "home-count.yaml");
    writeFileSync(type, readFileSync(type, "utf8").replace("validity: 7d", "validity: a week"));
    const { code, stderr, stdout } = await run(["import", broken, "--check"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toContain(`${type}:40:11: validity must be a duration such as "30d" or "12h"`);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${matter}:10:1: unknown key "fieldz" in matter \\(allowed: code, `)),
    );
  });

  it("is a usage error without a subcommand, --out or a directory", async () => {
    await expect(catalogueCommand([])).rejects.toThrow(UsageError);
    await expect(catalogueCommand(["export"])).rejects.toThrow(UsageError);
    await expect(catalogueCommand(["import", "--check"])).rejects.toThrow(UsageError);
  });
});
