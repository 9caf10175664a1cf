import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEMA_DIR } from "@onecert/subgraph-kit";
import { loadMaskingRules, maskValue } from "./masking";

const rules = loadMaskingRules(resolve(SCHEMA_DIR, "masking.yaml"));

describe("masking patterns from schema/masking.yaml", () => {
  it.each([
    ["IDENTIFIER", "11010519491231002X", "110105********002X"],
    ["CONTACT", "13812345678", "138****5678"],
    ["NAME", "张三丰", "张*丰"],
    ["NAME", "张三", "张*"],
    ["NAME", "欧阳娜娜", "欧**娜"],
    ["NAME", "李", "*"],
    ["ADDRESS", "合成省合成市第二区幸福路12号3单元401室", "合成省合成市第二区****"],
    ["ADDRESS", "合成省合成市幸福路12号", "合成省合成市****"],
    ["ADDRESS", "幸福路12号", "幸福路****"],
  ] as const)("%s %s → %s", (sensitivity, value, masked) => {
    expect(maskValue(rules, sensitivity, value)).toBe(masked);
  });

  it("shows an amount as the floor of its range, keeping numbers numbers", () => {
    expect(maskValue(rules, "FINANCIAL", 1234.56)).toBe(1000);
    expect(maskValue(rules, "FINANCIAL", 999)).toBe(0);
    expect(maskValue(rules, "FINANCIAL", "8800")).toBe("8000");
    expect(maskValue(rules, "FINANCIAL", "not a number")).toBe("****");
  });

  it("masks a number under a string pattern whole, never in clear", () => {
    expect(maskValue(rules, "IDENTIFIER", 11010519491231)).not.toBe(11010519491231);
  });

  it("needs a rule for every sensitivity", () => {
    const dir = mkdtempSync(join(tmpdir(), "onecert-masking-"));
    const file = join(dir, "masking.yaml");
    writeFileSync(file, "NAME: { keepStart: 1, keepEnd: 1 }\n");
    expect(() => loadMaskingRules(file)).toThrow(
      /no masking rule for IDENTIFIER, CONTACT, ADDRESS, FINANCIAL/,
    );
    writeFileSync(file, "SALARY: { roundDownTo: 10 }\n");
    expect(() => loadMaskingRules(file)).toThrow(/SALARY is not a sensitivity/);
  });

  it("never returns the clear value of a maskable string", () => {
    for (const value of ["1", "12", "123456", "11010519491231002X", "a@b.c"]) {
      expect(maskValue(rules, "IDENTIFIER", value)).not.toBe(value);
      expect(maskValue(rules, "NAME", value)).not.toBe(value);
    }
  });
});
