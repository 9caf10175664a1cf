import { describe, expect, it } from "vitest";
import { compileExpression } from "./expressions";
import { FileProblems } from "./fields";
import { readReasons } from "./reason-file";
import { fillTemplate, placeholders, reasonFrom } from "./reasons";

const compile = (source: unknown) => compileExpression(String(source));

describe("reason templates", () => {
  it("fill placeholders, writing lists and decimals as each language does", () => {
    const params = { units: ["U1", "U2"], area: 0.1 + 0.2, none: null };
    expect(fillTemplate("on {units}, {area} m², {none}, {absent}", params, "en")).toBe(
      "on U1, U2, 0.3 m², -, -",
    );
    expect(fillTemplate("以下：{units}", params, "zh")).toBe("以下：U1、U2");
    expect(placeholders("{a} and {b} of {a}")).toEqual(["a", "b", "a"]);
    expect(reasonFrom({ code: "X", zh: "{n} 套", en: "{n} home(s)" }, { n: 2 })).toEqual({
      code: "X",
      params: { n: 2 },
      text: { zh: "2 套", en: "2 home(s)" },
    });
  });

  it("read in order, keeping each case's `when` and params; a file without problems gives them all", () => {
    const p = new FileProblems("x.yaml");
    const reasons = readReasons(
      {
        satisfied: [{ code: "OK", zh: "好", en: "fine" }],
        notSatisfied: [
          {
            when: 'status != "ACTIVE"',
            code: "NOT_ACTIVE",
            params: { status: "status" },
            zh: "{status}",
            en: "{status}",
          },
          { code: "TOO_FEW", params: { count: "$count(x)" }, zh: "{count} 个", en: "{count}" },
        ],
      },
      p,
      compile,
    );
    expect(p.list).toEqual([]);
    expect(reasons!.notSatisfied.map((entry) => [entry.code, entry.when?.source ?? null])).toEqual([
      ["NOT_ACTIVE", 'status != "ACTIVE"'],
      ["TOO_FEW", null],
    ]);
  });

  it("are refused with a case that has no `when` before the last, or a code used twice", () => {
    // Other outcomes and empty lists are the schema's to refuse (schemas.test.ts).
    const p = new FileProblems("x.yaml");
    const reasons = readReasons(
      {
        satisfied: [{ code: "A", zh: "a", en: "a" }],
        notSatisfied: [
          { code: "A", zh: "a", en: "a" },
          { code: "B", zh: "b", en: "b" },
        ],
      },
      p,
      compile,
    );
    expect(reasons).toBeNull();
    expect(p.list).toEqual([
      "x.yaml: reasons.notSatisfied[0].code A is used twice in this type",
      'x.yaml: reasons.notSatisfied[0] needs a "when": only the last case has none',
    ]);
  });
});
