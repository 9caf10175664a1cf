import { describe, expect, it } from "vitest";
import { collectResult, collectSubjects, isSubject, subjectsInUrl } from "./subjects";

describe("subject identifiers", () => {
  it("recognises valid ID numbers, social credit codes and unit numbers only", () => {
    expect(isSubject("11010519491231002X")).toBe(true);
    expect(isSubject("91350100M000100Y43")).toBe(true);
    expect(isSubject("320505400202GB00001F00010069")).toBe(true);
    expect(isSubject("110105********002X")).toBe(false);
    expect(isSubject("110105194912310021")).toBe(false);
    expect(isSubject("hello")).toBe(false);
  });

  it("finds them in variables and, with the paths returned, in a result", () => {
    const subjects = new Set<string>();
    collectSubjects(
      { id: "11010519491231002X", list: ["91350100M000100Y43", 3, null], nested: { x: "y" } },
      subjects,
      10,
    );
    expect([...subjects].sort()).toEqual(["11010519491231002X", "91350100M000100Y43"]);
    const into = { subjects: new Set<string>(), fields: new Set<string>() };
    collectResult(
      {
        person: {
          __typename: "Person",
          name: "张三",
          spouse: null,
          homes: [
            { unitNumber: "320505400202GB00001F00010069" },
            { unitNumber: "320505400202GB00001F00010069" },
          ],
        },
      },
      into,
      { maxSubjects: 10, maxFields: 10 },
    );
    expect([...into.fields].sort()).toEqual(["person.homes.unitNumber", "person.name"]);
    expect([...into.subjects]).toEqual(["320505400202GB00001F00010069"]);
  });

  it("stops at the limits", () => {
    const into = { subjects: new Set<string>(), fields: new Set<string>() };
    collectResult({ a: 1, b: 2, c: 3 }, into, { maxSubjects: 1, maxFields: 2 });
    expect(into.fields.size).toBe(2);
  });

  it("finds them in a URL's path and query", () => {
    const found = new Set<string>();
    subjectsInUrl("/admin/audit/subjects/11010519491231002X/history?x=91350100M000100Y43&y=nope", found);
    subjectsInUrl("/graphql", found);
    expect([...found].sort()).toEqual(["11010519491231002X", "91350100M000100Y43"]);
  });
});
