import { describe, expect, it } from "vitest";
import { defineSettings, setting, shownDefault, withDefault } from "./settings";
import { flag, httpUrl, integer, list, matching, oneOf, text } from "./values";

const GROUP = defineSettings("test", {
  A: withDefault(integer(0, 10), 1, "a number"),
  B: withDefault(integer(0, 10), 2, "another"),
  C: withDefault(flag(), true, "a switch"),
  D: setting(oneOf(["x", "y"]), "a choice", "derived"),
  E: withDefault(list(matching(/^\w+:\d+$/, "host:port")), [] as string[], "nodes"),
  F: setting(httpUrl(), "a URL"),
  G: setting(text(), "free text"),
});

describe("settings groups", () => {
  it("read typed values, taking the fallback for unset and empty variables", () => {
    const problems: string[] = [];
    const read = GROUP.read({ A: "7", C: "off", D: "y", E: "a:1, b:2,", B: "", G: "hello" }, problems);
    expect(problems).toEqual([]);
    expect(read).toEqual({ A: 7, B: 2, C: false, D: "y", E: ["a:1", "b:2"], F: undefined, G: "hello" });
  });

  it("report every bad value by name at once and keep each fallback", () => {
    const problems: string[] = [];
    const read = GROUP.read(
      { A: "11", B: "1.5", C: "maybe", D: "z", E: "a:1,nohost,b", F: "ftp://x" },
      problems,
    );
    expect(read).toMatchObject({ A: 1, B: 2, C: true, D: undefined, E: [], F: undefined });
    expect(problems).toEqual([
      'A must be an integer from 0 to 10, got "11"',
      'B must be an integer from 0 to 10, got "1.5"',
      'C must be true or false, got "maybe"',
      'D must be "x" or "y", got "z"',
      'E must be host:port, got "nohost"',
      'E must be host:port, got "b"',
      "F must be an http(s) URL",
    ]);
  });

  it("state defaults the way the documentation shows them", () => {
    const { A, C, D, E, F } = GROUP.shape;
    expect([A, C, D, E, F].map(shownDefault)).toEqual(["1", "true", "derived", "unset", undefined]);
  });
});
