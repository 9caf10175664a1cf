import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEMA_DIR } from "@onecert/subgraph-kit";
import { checkCertificateFile } from "./certificate-schema";
import { checkMatterFile } from "./matter-schema";

const shipped = (kind: string) =>
  readdirSync(join(SCHEMA_DIR, kind))
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => join(SCHEMA_DIR, kind, file));

const MATTER = `# A matter to break.
code: test-matter
name:
  zh: 测试
  en: Test
department: civil-affairs
admits:
  departments: [government-service-center]
fields:
  - Query.person
subjects:
  - role: applicant
    kind: person
    name: { zh: 申请人, en: Applicant }
certificates:
  - type: no-housing
    parameters: { city: "9901" }
`;

const CERTIFICATE = `id: test-type
name: { zh: 测试, en: Test }
subject: person
department: civil-affairs
operation: |
  query T($subject: IdNumber!) { person(idNumber: $subject) { status } }
rule: status = "ACTIVE"
reasons:
  satisfied:
    - code: ACTIVE
      zh: "在册"
      en: "registered"
  notSatisfied:
    - code: NOT_ACTIVE
      params: { status: status }
      zh: "{status}"
      en: "{status}"
evidence:
  status: status
validity: 30d
`;

describe("the matter file schema", () => {
  it("accepts every shipped matter", () => {
    const files = shipped("matters");
    expect(files.length).toBe(14);
    for (const file of files) expect(checkMatterFile(file, readFileSync(file, "utf8")).problems).toEqual([]);
  });

  it("refuses an unknown key at its line and column, naming the keys allowed", () => {
    const text = MATTER.replace("fields:\n", "fieldz:\n  - Query.persons\nfields:\n");
    expect(checkMatterFile("schema/matters/foo.yaml", text)).toMatchObject({
      value: null,
      problems: [
        'schema/matters/foo.yaml:9:1: unknown key "fieldz" in matter (allowed: code, name, department, ' +
          "restricted, admits, fields, pendingFields, subjects, certificates)",
      ],
    });
  });

  it("names nested unknown keys and wrong types by their path, all problems of the file at once", () => {
    const text = MATTER.replace("admits:\n", "restricted: yes\nadmits:\n  role: [window]\n")
      .replace("    kind: person\n", "    kind: persons\n")
      .replace("parameters: {", "commitment: maybe\n    parameters: {");
    expect(checkMatterFile("m.yaml", text).problems).toEqual([
      "m.yaml:7:13: restricted must be true or false",
      'm.yaml:9:3: unknown key "role" in admits (allowed: departments, roles)',
      "m.yaml:15:11: subjects[0].kind must be person or enterprise",
      "m.yaml:19:17: certificates[0].commitment must be true or false",
    ]);
  });

  it("places a missing key at the mapping that lacks it, and a YAML error where it is", () => {
    expect(checkMatterFile("m.yaml", MATTER.replace("department: civil-affairs\n", "")).problems).toEqual([
      "m.yaml:2:1: department must be a non-empty string",
    ]);
    expect(checkMatterFile("m.yaml", MATTER.replace("  en: Test\n", "  en: [Test\n")).problems).toEqual([
      expect.stringMatching(/^m\.yaml:6:1: not valid YAML: Flow sequence/),
    ]);
  });
});

describe("the certificate-type file schema", () => {
  it("accepts every shipped certificate type", () => {
    const files = shipped("certificates");
    expect(files.length).toBe(17);
    for (const file of files)
      expect(checkCertificateFile(file, readFileSync(file, "utf8")).problems).toEqual([]);
  });

  it("accepts a minimal type, typed", () => {
    const checked = checkCertificateFile("t.yaml", CERTIFICATE);
    expect(checked.problems).toEqual([]);
    expect(checked.value).toMatchObject({ id: "test-type", subject: "person", validity: "30d" });
  });

  it("refuses unknown keys, the retired reason, wrong types and empty lists, in file order", () => {
    const text = CERTIFICATE.replace("subject: person", "subject: people\nreason: old text")
      .replace("  satisfied:\n", "  other: []\n  satisfied:\n")
      .replace('      zh: "在册"\n', '      zh: "在册"\n      note: x\n')
      .replace("validity: 30d", "validity: 30 days\nevidence2: {}")
      .replace("    - code: NOT_ACTIVE", "    - code: not-active");
    expect(checkCertificateFile("schema/certificates/t.yaml", text).problems).toEqual([
      "schema/certificates/t.yaml:3:10: subject must be one of person, enterprise",
      "schema/certificates/t.yaml:4:9: reason is replaced by reasons: cases with a code, params, zh and en",
      'schema/certificates/t.yaml:10:3: unknown key "other" in reasons (allowed: satisfied, notSatisfied)',
      'schema/certificates/t.yaml:14:7: unknown key "note" in reasons.satisfied[0] (allowed: when, code, params, zh, en)',
      "schema/certificates/t.yaml:17:13: reasons.notSatisfied[0].code must be UPPER_SNAKE, e.g. NO_HOME_IN_CITY",
      'schema/certificates/t.yaml:23:11: validity must be a duration such as "30d" or "12h"',
      expect.stringMatching(
        /^schema\/certificates\/t\.yaml:24:1: unknown key "evidence2" in certificate type/,
      ),
    ]);
    const empty = CERTIFICATE.replace(/ {2}satisfied:\n(?: {4}.*\n)+/, "  satisfied: []\n").replace(
      "evidence:\n  status: status\n",
      "evidence: {}\n",
    );
    expect(checkCertificateFile("t.yaml", empty).problems).toEqual([
      "t.yaml:9:14: reasons.satisfied must list at least one case",
      "t.yaml:15:11: evidence must name at least one value",
    ]);
  });
});
