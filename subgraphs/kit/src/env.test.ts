import { describe, expect, it } from "vitest";
import { envReader } from "./env";

describe("envReader", () => {
  it("reads integers and booleans, falling back on unset values", () => {
    const problems: string[] = [];
    const { int, bool } = envReader({ A: "7", B: "off", C: "" }, problems);
    expect([int("A", 1, 0, 10), int("C", 3, 0, 10), int("D", 4, 0, 10)]).toEqual([7, 3, 4]);
    expect([bool("B", true), bool("C", true), bool("D", false)]).toEqual([false, true, false]);
    expect(problems).toEqual([]);
  });

  it("reports every bad value by name and keeps the fallback", () => {
    const problems: string[] = [];
    const { int, bool } = envReader({ A: "11", B: "1.5", C: "maybe" }, problems);
    expect([int("A", 1, 0, 10), int("B", 2, 0, 10), bool("C", true)]).toEqual([1, 2, true]);
    expect(problems).toEqual([
      'A must be an integer from 0 to 10, got "11"',
      'B must be an integer from 0 to 10, got "1.5"',
      'C must be true or false, got "maybe"',
    ]);
  });
});
