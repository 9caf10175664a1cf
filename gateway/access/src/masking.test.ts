import { resolve } from "node:path";
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

  it("leaves sensitivities without a pattern alone", () => {
    expect(maskValue(rules, "FINANCIAL", "1234.5")).toBe("1234.5");
  });

  it("never returns the clear value of a maskable string", () => {
    for (const value of ["1", "12", "123456", "11010519491231002X", "a@b.c"]) {
      expect(maskValue(rules, "IDENTIFIER", value)).not.toBe(value);
      expect(maskValue(rules, "NAME", value)).not.toBe(value);
    }
  });
});
