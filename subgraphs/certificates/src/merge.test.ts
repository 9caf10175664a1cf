import type { GraphQLFormattedError } from "graphql";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEMA_DIR, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { loadCatalogue, mergeChecks, supergraphView, type CheckItem } from "@onecert/catalogue";
import { evaluateItem } from "./evaluate";

const view = supergraphView(readFileSync(SUPERGRAPH_PATH, "utf8"));
const catalogue = loadCatalogue({
  certificatesDir: join(SCHEMA_DIR, "certificates"),
  mattersDir: join(SCHEMA_DIR, "matters"),
  supergraph: view,
});
const A = "11010519491231002X";
const B = "440524188001010014";
const item = (type: string, subjectKey = A, parameters: Record<string, unknown> = {}): CheckItem => {
  const certificate = catalogue.certificates.get(type)!;
  return {
    certificate,
    subjectKind: certificate.subject,
    subjectKey,
    parameters: { ...certificate.parameters, ...parameters },
  };
};

describe("merging certificate operations", () => {
  it("reads a 3-certificate matter with one root field and one fetch per registry", () => {
    const merged = mergeChecks([
      item("household-registration"),
      item("no-housing"),
      item("contribution-months"),
    ]);
    expect(merged.query).toContain("person(idNumber: $person)");
    expect(merged.query).not.toMatch(/^\s+\w+: \w+/m); // no aliases: nothing conflicts
    expect(merged.variables).toEqual({ person: A, p0: "EMPLOYEE_PENSION" });
    expect(Object.fromEntries(view.fetchesPerSubgraph(merged.document))).toEqual({
      population: 1,
      property: 1,
      "social-insurance": 1,
    });
  });

  it("shares identical fields and parameter values, aliases conflicting ones and projects each back", () => {
    const items = [
      item("contribution-months", A, { type: "EMPLOYEE_PENSION", months: 12 }),
      item("contribution-months", A, { type: "EMPLOYEE_MEDICAL", months: 12 }),
      item("purchase-residency", A, { type: "EMPLOYEE_PENSION" }),
    ];
    const merged = mergeChecks(items);
    expect(merged.variables).toEqual({ person: A, p0: "EMPLOYEE_PENSION", p1: "EMPLOYEE_MEDICAL" });
    expect(merged.query).toContain("consecutiveContributionMonths(type: $p0)");
    expect(merged.query).toContain(
      "consecutiveContributionMonths_2: consecutiveContributionMonths(type: $p1)",
    );
    expect(merged.query.match(/socialInsurance/g)).toHaveLength(1);
    const data = {
      person: {
        status: "ACTIVE",
        household: { regionCode: "990101" },
        socialInsurance: {
          consecutiveContributionMonths: 36,
          lastPaidPeriod: "202401",
          consecutiveContributionMonths_2: 5,
          lastPaidPeriod_2: "202312",
        },
      },
    };
    expect(merged.project(data, 1)).toEqual({
      subject: { socialInsurance: { consecutiveContributionMonths: 5, lastPaidPeriod: "202312" } },
      path: ["person"],
      keys: new Set(["socialInsurance"]),
      root: "person",
    });
    expect(merged.project(data, 2).subject).toEqual({
      status: "ACTIVE",
      household: { regionCode: "990101" },
      socialInsurance: { consecutiveContributionMonths: 36 },
    });
  });

  it("reads several subjects of a kind through the plural root and matches them back by key", () => {
    const merged = mergeChecks([
      item("identity-status", A),
      item("identity-status", B),
      item("insurance-enrolment", B),
    ]);
    expect(merged.query).toContain("persons(idNumbers: $persons)");
    expect(merged.variables).toEqual({ persons: [A, B] });
    expect(Object.fromEntries(view.fetchesPerSubgraph(merged.document))).toEqual({
      population: 1,
      "social-insurance": 1,
    });
    const b = { idNumber: B, name: "乙", status: "DECEASED", socialInsurance: { enrolments: [] } };
    // Clear keys match exactly; masked ones by their visible characters; a missing subject is null.
    expect(merged.project({ persons: [b] }, 1).subject).toEqual({ name: "乙", status: "DECEASED" });
    expect(merged.project({ persons: [b] }, 0)).toMatchObject({ subject: null, path: null });
    const masked = { ...b, idNumber: "440524********0014" };
    expect(merged.project({ persons: [masked] }, 1).path).toEqual(["persons", 0]);
    const a = { idNumber: "110105********002X", name: "甲", status: "ACTIVE" };
    expect(merged.project({ persons: [a, masked] }, 1).path).toEqual(["persons", 1]);
  });
});

describe("deciding a verdict", () => {
  const decide = (
    type: string,
    subject: Record<string, unknown> | null,
    errors: GraphQLFormattedError[] = [],
  ) => {
    const merged = mergeChecks([item(type)]);
    const projected = merged.project(subject ? { person: subject } : { person: null }, 0);
    return evaluateItem(item(type), projected, errors);
  };
  const down = { message: "down", extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName: "property" } };

  it("is UNDETERMINED, never NOT_SATISFIED, when required data is missing or its registry failed", async () => {
    expect((await decide("no-housing", { realEstate: null }, [down])).status).toBe("UNDETERMINED");
    expect((await decide("no-housing", { realEstate: null })).reason).toBe("no data for realEstate");
    expect((await decide("identity-status", null)).reason).toContain("no record of this subject");
  });

  it("decides on complete data", async () => {
    const home = { unitNumber: "u", regionCode: "990101", use: "RESIDENTIAL" };
    expect(await decide("no-housing", { realEstate: [] })).toMatchObject({
      status: "SATISFIED",
      evidence: { homesInCity: 0 },
    });
    expect(await decide("no-housing", { realEstate: [home] })).toMatchObject({
      status: "NOT_SATISFIED",
      reason: "owns 1 residential unit(s) in the city",
    });
  });

  it("holds an either-or rule on the part present, but never refuses on a part missing", async () => {
    const local = { status: "ACTIVE", household: { regionCode: "990101" }, socialInsurance: null };
    const siDown = {
      message: "down",
      extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName: "social-insurance" },
    };
    expect((await decide("purchase-residency", local, [siDown])).status).toBe("SATISFIED");
    const other = { ...local, household: { regionCode: "990201" } };
    expect((await decide("purchase-residency", other, [siDown])).status).toBe("UNDETERMINED");
    const paid = { ...other, socialInsurance: { consecutiveContributionMonths: 3 } };
    expect((await decide("purchase-residency", paid)).status).toBe("NOT_SATISFIED");
  });
});
