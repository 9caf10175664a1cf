import { Refusal } from "@onecert/subgraph-kit";
import { describe, expect, it } from "vitest";
import { stampShareOwners } from "./share";

const SDL = `type Marriage @share(level: "UNCONDITIONAL") {
  status: String
  office: String @share(level: "NOT_SHARED", sensitivity: ["ADDRESS"])
}`;

describe("stampShareOwners", () => {
  it("stamps every @share with the department", () => {
    const stamped = stampShareOwners(SDL, "civil-affairs");
    expect(stamped).toMatch(/type Marriage @share\(owner: "civil-affairs", level: "UNCONDITIONAL"\)/);
    expect(stamped).toMatch(/office: String @share\(owner: "civil-affairs", level: "NOT_SHARED"/);
    expect(stampShareOwners(stamped, "civil-affairs")).toBe(stamped);
  });

  it("leaves an SDL without @share as it is", () => {
    const sdl = "type Query {\n  # a comment survives\n  a: Int\n}";
    expect(stampShareOwners(sdl, "civil-affairs")).toBe(sdl);
  });

  it("refuses an owner naming another department", () => {
    const foreign = SDL.replace(
      '@share(level: "NOT_SHARED"',
      '@share(owner: "public-security", level: "NOT_SHARED"',
    );
    const error = (() => {
      try {
        stampShareOwners(foreign, "civil-affairs");
        return null;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(Refusal);
    expect(error).toMatchObject({ status: 422, code: "INVALID_SDL" });
  });

  it("moves the owner along when the subgraph moves to another department", () => {
    const stamped = stampShareOwners(SDL, "civil-affairs");
    const moved = stampShareOwners(stamped, "justice", "civil-affairs");
    expect(moved).not.toMatch(/civil-affairs/);
    expect(moved.match(/owner: "justice"/g)).toHaveLength(2);
  });
});
