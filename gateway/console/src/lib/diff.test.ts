import { describe, expect, it } from "vitest";
import { changedHunks, lineDiff } from "./diff";

describe("SDL line diff", () => {
  it("marks removed and added lines around the common ones", () => {
    expect(lineDiff("type A {\n  a: Int\n  b: Int\n}", "type A {\n  a: Int\n  c: String\n}")).toEqual([
      { kind: "same", text: "type A {" },
      { kind: "same", text: "  a: Int" },
      { kind: "removed", text: "  b: Int" },
      { kind: "added", text: "  c: String" },
      { kind: "same", text: "}" },
    ]);
    expect(lineDiff("x", "x")).toEqual([{ kind: "same", text: "x" }]);
  });

  it("keeps only the context around changes", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const after = before.replace("line 10", "line ten");
    const hunks = changedHunks(lineDiff(before, after), 1);
    expect(hunks).toEqual([
      { kind: "same", text: "line 9" },
      { kind: "removed", text: "line 10" },
      { kind: "added", text: "line ten" },
      { kind: "same", text: "line 11" },
      null,
    ]);
  });
});
