import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEMA_DIR, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { CatalogueError, loadCatalogue } from "./load";
import { supergraphView } from "./supergraph";

const view = supergraphView(readFileSync(SUPERGRAPH_PATH, "utf8"));

/** A copy of the catalogue to break, one file at a time. */
function copy(): { certificatesDir: string; mattersDir: string } {
  const dir = mkdtempSync(join(tmpdir(), "onecert-catalogue-"));
  cpSync(join(SCHEMA_DIR, "certificates"), join(dir, "certificates"), { recursive: true });
  cpSync(join(SCHEMA_DIR, "matters"), join(dir, "matters"), { recursive: true });
  return { certificatesDir: join(dir, "certificates"), mattersDir: join(dir, "matters") };
}

function problemsOf(dirs: { certificatesDir: string; mattersDir: string }): string[] {
  try {
    loadCatalogue({ ...dirs, supergraph: view });
  } catch (error) {
    if (error instanceof CatalogueError) return error.problems;
    throw error;
  }
  return [];
}

const edit = (path: string, from: string | RegExp, to: string) => {
  const text = readFileSync(path, "utf8");
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`no ${String(from)} in ${path}`);
  writeFileSync(path, changed);
};

describe("the certificate catalogue", () => {
  it("loads: at least 12 types, every operation valid against the supergraph, registries known", () => {
    const catalogue = loadCatalogue({
      certificatesDir: join(SCHEMA_DIR, "certificates"),
      mattersDir: join(SCHEMA_DIR, "matters"),
      supergraph: view,
    });
    expect(catalogue.certificates.size).toBeGreaterThanOrEqual(12);
    expect(catalogue.certificates.get("no-housing")!.registries).toEqual(["population", "property"]);
    expect(catalogue.certificates.get("legal-representative-identity")!.registries).toEqual([
      "legal-entity",
      "population",
    ]);
    const newborn = catalogue.matters.get("newborn")!;
    expect(newborn.roles.map((role) => role.role)).toEqual(["father", "mother"]);
    expect(
      newborn.certificates.find((entry) => entry.type === "household-relation")!.parameters,
    ).toMatchObject({
      relations: ["HEAD", "SPOUSE"],
      minMembers: 2,
    });
    for (const code of [
      "public-rental-housing",
      "home-purchase-qualification",
      "newborn",
      "enterprise-change",
      "retirement",
    ])
      expect(catalogue.matters.get(code)!.certificates.length, code).toBeGreaterThan(0);
  });

  it("reports an operation that does not fit the supergraph, with the file", () => {
    const dirs = copy();
    edit(join(dirs.certificatesDir, "no-housing.yaml"), "regionCode\n", "regionKode\n");
    const problems = problemsOf(dirs);
    expect(problems[0]).toMatch(
      /no-housing\.yaml: operation is not valid against the supergraph: Cannot query field "regionKode"/,
    );
    // Matters naming the broken type say so instead of "unknown type".
    expect(
      problems.some((p) =>
        /public-rental-housing\.yaml: certificates\[1\]: certificate no-housing is broken/.test(p),
      ),
    ).toBe(true);
  });

  it("reports a rule that does not parse, and evidence and reasons likewise", () => {
    const dirs = copy();
    edit(
      join(dirs.certificatesDir, "identity-status.yaml"),
      'rule: status = "ACTIVE"',
      'rule: status = ("ACTIVE"',
    );
    edit(join(dirs.certificatesDir, "identity-status.yaml"), "name: name\n", "name: $count(\n");
    const problems = problemsOf(dirs);
    expect(problems).toContainEqual(
      expect.stringMatching(/identity-status\.yaml: rule does not parse: .*\(at \d+\)/),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/identity-status\.yaml: evidence\.name does not parse/),
    );
  });

  it("reports reason cases: bad or repeated codes, unknown placeholders, a missing language, `when` misplaced", () => {
    // The shape first, every problem of the file at its line and column: a code that is not
    // UPPER_SNAKE, a missing language. The rules across cases wait for a file of the right shape.
    const shape = copy();
    const broken = join(shape.certificatesDir, "household-relation.yaml");
    edit(broken, "code: RELATION_IN_HOUSEHOLD", "code: relationInHousehold");
    edit(broken, /\n {6}zh: "登记的户内关系为.*/, "");
    expect(problemsOf(shape).filter((p) => p.startsWith(broken))).toEqual([
      `${broken}:29:13: reasons.satisfied[0].code must be UPPER_SNAKE, e.g. NO_HOME_IN_CITY`,
      `${broken}:45:7: reasons.notSatisfied[1].zh must be a non-empty template: every reason is given in zh and en`,
    ]);

    const dirs = copy();
    const file = join(dirs.certificatesDir, "household-relation.yaml");
    edit(
      file,
      "code: RELATION_NOT_ACCEPTED",
      "when: $count(household.members) > 0\n      code: HOUSEHOLD_TOO_SMALL",
    );
    edit(file, 'en: "household {household} has', 'en: "household {householdNumber} has');
    edit(
      join(dirs.certificatesDir, "marital-relation.yaml"),
      'when: maritalStatus = "MARRIED"',
      "when: maritalStatus = (",
    );
    const problems = problemsOf(dirs);
    const of = (name: string) =>
      problems.filter((p) => p.includes(`${name}.yaml: `)).map((p) => p.split(": ").slice(1).join(": "));
    expect(of("household-relation")).toEqual([
      "reasons.notSatisfied[0].en: placeholder {householdNumber} is not one of this case's params",
      "reasons.notSatisfied[1].code HOUSEHOLD_TOO_SMALL is used twice in this type",
      'reasons.notSatisfied[1] is the last case and must have no "when"',
    ]);
    expect(of("marital-relation")).toEqual([
      expect.stringMatching(/^reasons\.notSatisfied\[0\]\.when does not parse: .*\(at \d+\)$/),
    ]);
  });

  it("reports a certificate reading a field its matter does not declare (minimum necessary)", () => {
    const dirs = copy();
    edit(join(dirs.mattersDir, "public-rental-housing.yaml"), "  - RealEstate.use\n", "");
    expect(problemsOf(dirs)).toEqual([
      expect.stringMatching(
        /public-rental-housing\.yaml: certificate no-housing reads RealEstate\.use, which the matter's fields do not declare/,
      ),
    ]);
  });

  it("reports unknown types, roles and parameters, and parameters of the wrong type", () => {
    const dirs = copy();
    const file = join(dirs.mattersDir, "public-rental-housing.yaml");
    edit(file, "type: EMPLOYEE_PENSION, months: 12", "type: PENSION, months: 12, weeks: 3");
    edit(file, "  - type: no-housing\n", "  - type: no-houses\n  - type: no-housing\n    roles: [spouse]\n");
    const problems = problemsOf(dirs).join("\n");
    expect(problems).toContain('unknown certificate type "no-houses"');
    expect(problems).toContain('certificate no-housing: unknown role "spouse"');
    expect(problems).toContain('certificate contribution-months: unknown parameter "weeks"');
    expect(problems).toMatch(/contribution-months, parameter type: .*PENSION/);
  });

  it("reports an operation shape that cannot be merged: fragments, other roots, a missing parameter", () => {
    const dirs = copy();
    const file = join(dirs.certificatesDir, "pension-receipt.yaml");
    edit(file, "socialInsurance {\n", "socialInsurance(x: $x) {\n");
    edit(
      join(dirs.certificatesDir, "enterprise-active.yaml"),
      "name\n      status",
      "... on Enterprise { name }\n      status",
    );
    edit(
      join(dirs.certificatesDir, "seizure-free.yaml"),
      "person(idNumber: $subject)",
      'person(idNumber: "11010519491231002X")',
    );
    const problems = problemsOf(dirs).join("\n");
    expect(problems).toMatch(/pension-receipt\.yaml: operation is not valid .*Unknown argument "x"/);
    expect(problems).toContain("enterprise-active.yaml: operation: fragments are not supported");
    expect(problems).toContain(
      "seizure-free.yaml: operation must select one root field, person(idNumber: $subject)",
    );
  });

  it("reports a matter whose certificates would call a registry twice in one check", () => {
    const dirs = copy();
    // The spouse's homes sit under another path than the applicant's: a second property fetch.
    edit(
      join(dirs.certificatesDir, "home-count.yaml"),
      "    person(idNumber: $subject) {\n",
      "    person(idNumber: $subject) {\n      spouse { realEstate { unitNumber } }\n",
    );
    const problems = problemsOf(dirs).join("\n");
    expect(problems).toMatch(
      /home-purchase-qualification\.yaml: one check of this matter would call property 2 times/,
    );
  });
});
