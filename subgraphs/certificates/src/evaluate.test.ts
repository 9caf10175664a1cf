import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GraphQLFormattedError } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { SCHEMA_DIR, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import {
  loadCatalogue,
  supergraphView,
  type CertificateCatalogue,
  type SubjectKind,
} from "@onecert/catalogue";
import { evaluateItem } from "./evaluate";
import { SYSTEM_REASON_TEMPLATES } from "./reasons";

let catalogue: CertificateCatalogue;
beforeAll(() => {
  catalogue = loadCatalogue({
    certificatesDir: join(SCHEMA_DIR, "certificates"),
    mattersDir: join(SCHEMA_DIR, "matters"),
    supergraph: supergraphView(readFileSync(SUPERGRAPH_PATH, "utf8")),
  });
});

/** Decides `type` on `subject` as its own operation would have returned it. */
function decide(
  type: string,
  subject: Record<string, unknown> | null,
  options: {
    kind?: SubjectKind;
    errors?: GraphQLFormattedError[];
    parameters?: Record<string, unknown>;
  } = {},
) {
  const certificate = catalogue.certificates.get(type)!;
  const kind = options.kind ?? "person";
  const root = kind === "person" ? "person" : "enterprise";
  return evaluateItem(
    {
      certificate,
      subjectKind: kind,
      subjectKey: "K",
      parameters: { ...certificate.parameters, ...options.parameters },
    },
    { subject, path: subject ? [root] : null, keys: new Set(Object.keys(subject ?? {})), root },
    options.errors ?? [],
  );
}

const home = (regionCode: string, use = "RESIDENTIAL") => ({
  unitNumber: `U-${regionCode}`,
  regionCode,
  use,
});

describe("a verdict's reason", () => {
  it("has the code, params and zh and en texts of the case that applies", async () => {
    const owns = await decide("no-housing", { realEstate: [home("990101"), home("110101")] });
    expect(owns).toMatchObject({
      status: "NOT_SATISFIED",
      reasonCode: "OWNS_HOME_IN_CITY",
      reasonParams: { homesInCity: 1 },
      reasonText: { zh: "在本市拥有住宅 1 套", en: "owns 1 residential unit(s) in the city" },
      reason: "owns 1 residential unit(s) in the city",
    });
    const none = await decide("no-housing", { realEstate: [home("110101")] });
    expect([none.status, none.reasonCode, none.reasonParams]).toEqual([
      "SATISFIED",
      "NO_HOME_IN_CITY",
      { unitsAnywhere: 1 },
    ]);
  });

  it("takes the first case whose `when` holds, else the last", async () => {
    const suspended = await decide(
      "employer-insured-headcount",
      { status: "SUSPENDED", insuredEmployees: { count: 30, asOf: "202611" } },
      { kind: "enterprise" },
    );
    expect([suspended.reasonCode, suspended.reasonParams, suspended.reasonText.zh]).toEqual([
      "ENTERPRISE_NOT_ACTIVE",
      { status: "SUSPENDED" },
      "企业登记状态为 SUSPENDED",
    ]);
    const small = await decide(
      "employer-insured-headcount",
      { status: "ACTIVE", insuredEmployees: { count: 12, asOf: "202611" } },
      { kind: "enterprise", parameters: { minimum: 20 } },
    );
    expect([small.reasonCode, small.reason, small.reasonText.zh]).toEqual([
      "HEADCOUNT_TOO_LOW",
      "12 insured employees in 202611, fewer than 20",
      "202611 参保职工 12 人，少于 20 人",
    ]);
  });

  it("writes a list the way each language does", async () => {
    const units = [
      { unitNumber: "U1", mortgaged: true },
      { unitNumber: "U2", mortgaged: true },
    ];
    const verdict = await decide("mortgage-free", { realEstate: units });
    expect(verdict.reasonText).toEqual({
      zh: "以下不动产有未注销的抵押：U1、U2",
      en: "active mortgage on U1, U2",
    });
  });
});

describe("an UNDETERMINED verdict's reason", () => {
  it("is SUBJECT_NOT_FOUND when the registry answered without the subject", async () => {
    const verdict = await decide("identity-status", null);
    expect(verdict).toMatchObject({
      status: "UNDETERMINED",
      reasonCode: "SUBJECT_NOT_FOUND",
      reasonParams: { registry: "population" },
      reasonText: {
        zh: "人口登记库中没有该主体的记录",
        en: "the population registry has no record of this subject",
      },
    });
  });

  it("names the registry that did not answer, the missing fields, or the unreadable data", async () => {
    const down = await decide(
      "no-housing",
      { realEstate: null },
      {
        errors: [
          { message: "unavailable", path: ["person", "realEstate"], extensions: { serviceName: "property" } },
        ],
      },
    );
    expect([down.status, down.reasonCode, down.reasonParams, down.reason]).toEqual([
      "UNDETERMINED",
      "REGISTRY_UNAVAILABLE",
      { registries: ["property"] },
      "no answer from the property registry: the data cannot decide",
    ]);
    const missing = await decide("marital-relation", { spouse: null });
    expect([missing.reasonCode, missing.reasonParams, missing.reasonText.zh]).toEqual([
      "DATA_MISSING",
      { fields: ["maritalStatus"] },
      "缺少数据：maritalStatus",
    ]);
    const unreadable = await decide("identity-status", null, {
      errors: [{ message: "boom", path: ["person"] }],
    });
    expect([unreadable.reasonCode, unreadable.reasonParams]).toEqual([
      "DATA_UNREADABLE",
      { message: "boom" },
    ]);
  });

  it("has one template per system code, in both languages", () => {
    expect(SYSTEM_REASON_TEMPLATES.map((template) => template.code)).toEqual([
      "SUBJECT_NOT_FOUND",
      "DATA_MISSING",
      "REGISTRY_UNAVAILABLE",
      "DATA_UNREADABLE",
      "NO_VERDICT",
    ]);
    for (const template of SYSTEM_REASON_TEMPLATES) expect(template.zh && template.en).toBeTruthy();
  });
});
