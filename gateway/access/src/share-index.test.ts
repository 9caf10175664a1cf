import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { buildShareIndex } from "./share-index";

const sdl = readFileSync(SUPERGRAPH_PATH, "utf8");
// Owners come from @share(owner:) in the supergraph; no department is known by subgraph name.
const index = buildShareIndex(sdl, () => undefined, "NOT_SHARED");

describe("share rules read from the composed supergraph", () => {
  it("takes a field's own rule before its type's", () => {
    expect(index.field("Person", "phone")).toMatchObject({ level: "NOT_SHARED", sensitivity: ["CONTACT"] });
    expect(index.field("Person", "idNumber")).toMatchObject({
      level: "UNCONDITIONAL",
      sensitivity: ["IDENTIFIER"],
    });
    expect(index.field("Person", "sex")).toMatchObject({ level: "UNCONDITIONAL", sensitivity: [] });
  });

  it("knows which department owns a field added by another registry", () => {
    const realEstate = index.field("Person", "realEstate")!;
    expect(realEstate.level).toBe("CONDITIONAL");
    expect([...realEstate.departments]).toEqual(["natural-resources"]);
    expect([...index.field("Person", "name")!.departments]).toEqual(["public-security"]);
    // Every registry resolves the key, but public security declared its rule and owns it.
    expect(index.field("Person", "idNumber")!.subgraphs.length).toBe(4);
    expect([...index.field("Person", "idNumber")!.departments]).toEqual(["public-security"]);
    expect(index.field("Query", "enterprise")!.subgraphs).toEqual(["legal-entity"]);
  });

  it("inherits the type's level and falls back to the default for undeclared types", () => {
    expect(index.field("Mortgage", "mortgagee")!.level).toBe("CONDITIONAL");
    expect(index.field("Mortgage", "amount")!.sensitivity).toEqual(["FINANCIAL"]);
    const strict = buildShareIndex(
      sdl.replace(/@share\(owner: "[^)]*\)/g, ""),
      () => undefined,
      "NOT_SHARED",
    );
    expect(strict.field("Person", "name")!.level).toBe("NOT_SHARED");
  });

  it("rejects an unknown level or sensitivity with the field named", () => {
    const broken = sdl.replace(
      '@share(owner: "public-security", level: "NOT_SHARED", sensitivity: ["CONTACT"])',
      '@share(level: "SOMETIMES")',
    );
    expect(() => buildShareIndex(broken, () => undefined, "NOT_SHARED")).toThrow(/Person\.phone.*level/);
  });
});
