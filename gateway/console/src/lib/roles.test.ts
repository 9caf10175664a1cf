import { describe, expect, it } from "vitest";
import { homeOf, mayOpen, pageAt, ROLE_PAGES, type ConsoleRole } from "./roles";

describe("console pages per role", () => {
  it("gives each role its own pages and none of another's main page", () => {
    const roles = Object.keys(ROLE_PAGES) as ConsoleRole[];
    for (const role of roles) {
      expect(pageAt(homeOf(role))).toBe(ROLE_PAGES[role][0]);
      for (const other of roles)
        if (other !== role) expect(mayOpen(role, ROLE_PAGES[other][0]), `${role} -> ${other}`).toBe(false);
    }
    expect(pageAt("/console/audit/")).toBe("audit");
    expect(pageAt("/console/nowhere")).toBeNull();
  });
});
