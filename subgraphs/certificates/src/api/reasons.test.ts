import "reflect-metadata";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execute, parse, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { SCHEMA_DIR, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { loadCatalogue, supergraphView, type CertificateCatalogue } from "@onecert/catalogue";
import { evaluateItem } from "../evaluate";
import { certificatesSubgraph } from "../schema";

let schema: GraphQLSchema;
let catalogue: CertificateCatalogue;
beforeAll(async () => {
  ({ schema } = await certificatesSubgraph.buildSchema());
  catalogue = loadCatalogue({
    certificatesDir: join(SCHEMA_DIR, "certificates"),
    mattersDir: join(SCHEMA_DIR, "matters"),
    supergraph: supergraphView(readFileSync(SUPERGRAPH_PATH, "utf8")),
  });
});

/** checkCertificates through the subgraph's own schema, its service answering one no-housing verdict. */
async function check(selection: string) {
  const certificate = catalogue.certificates.get("no-housing")!;
  const item = {
    certificate,
    subjectKind: "person" as const,
    subjectKey: "K",
    parameters: certificate.parameters,
  };
  const realEstate = [{ unitNumber: "U1", regionCode: "990101", use: "RESIDENTIAL" }];
  const outcome = await evaluateItem(
    item,
    { subject: { realEstate }, path: ["person"], keys: new Set(["realEstate"]), root: "person" },
    [],
  );
  const verdict = {
    ...item,
    ...outcome,
    role: "applicant",
    commitmentAllowed: true,
    checkedAt: new Date(),
    validUntil: null,
  };
  const service = { catalogue, checkCertificates: () => Promise.resolve([verdict]) };
  return execute({
    schema,
    document: parse(
      `{ checkCertificates(subject: { idNumber: "11010519491231002X" }, types: ["no-housing"]) { ${selection} } }`,
    ),
    contextValue: { service, caller: {}, checked: new Set<string>() },
  });
}

describe("CertificateVerdict.reason", () => {
  it("is English by default and Chinese for ZH; code and params come alongside", async () => {
    const result = await check(
      "reasonCode reasonParams reason zh: reason(language: ZH) en: reason(language: EN)",
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.checkCertificates).toEqual([
      {
        reasonCode: "OWNS_HOME_IN_CITY",
        reasonParams: { homesInCity: 1 },
        reason: "owns 1 residential unit(s) in the city",
        zh: "在本市拥有住宅 1 套",
        en: "owns 1 residential unit(s) in the city",
      },
    ]);
  });

  it("lists the type's templates", async () => {
    const result = await check("certificate { reasons { outcome code when params } }");
    expect(result.errors).toBeUndefined();
    const [verdict] = result.data!.checkCertificates as { certificate: { reasons: unknown[] } }[];
    expect(verdict.certificate.reasons).toEqual([
      { outcome: "SATISFIED", code: "NO_HOME_IN_CITY", when: null, params: ["unitsAnywhere"] },
      { outcome: "NOT_SATISFIED", code: "OWNS_HOME_IN_CITY", when: null, params: ["homesInCity"] },
    ]);
  });
});
