import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

describe("onecert catalogue", () => {
  it("export reproduces schema/matters and schema/certificates byte for byte", async () => {
    const out = temp();
    const { code, stdout } = await run(["export", "--out", out]);
    expect(code).toBe(0);
    expect(stdout).toContain("Wrote 14 matters and 17 certificate types");
    let compared = 0;
    for (const kind of ["matters", "certificates"]) {
      const shipped = readdirSync(join(SCHEMA_DIR, kind)).sort();
      expect(readdirSync(join(out, kind)).sort(), kind).toEqual(shipped);
      for (const file of shipped) {
        const exported = readFileSync(join(out, kind, file));
        expect(exported.equals(readFileSync(join(SCHEMA_DIR, kind, file))), `${kind}/${file}`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBe(31);
  });

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

  it("import installs a checked directory in the configured ones, which become what was checked", async () => {
    const source = shippedCopy();
    const target = temp();
    const env = { MATTERS_DIR: join(target, "m"), CERTIFICATES_DIR: join(target, "c") };
    cpSync(join(SCHEMA_DIR, "matters"), env.MATTERS_DIR, { recursive: true });
    writeFileSync(join(env.MATTERS_DIR, "stale.yaml"), "code: stale\n");
    const { code, stdout } = await run(["import", source], env);
    expect(code).toBe(0);
    expect(stdout).toContain("Imported 14 matters and 17 certificate types");
    expect(existsSync(join(env.MATTERS_DIR, "stale.yaml"))).toBe(false);
    expect(readdirSync(env.CERTIFICATES_DIR)).toHaveLength(17);
    expect(readFileSync(join(env.CERTIFICATES_DIR, "no-housing.yaml"), "utf8")).toBe(
      readFileSync(join(SCHEMA_DIR, "certificates", "no-housing.yaml"), "utf8"),
    );
  });

  it("is a usage error without a subcommand, --out or a directory", async () => {
    await expect(catalogueCommand([])).rejects.toThrow(UsageError);
    await expect(catalogueCommand(["export"])).rejects.toThrow(UsageError);
    await expect(catalogueCommand(["import", "--check"])).rejects.toThrow(UsageError);
  });
});
