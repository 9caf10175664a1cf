import { join } from "node:path";
import { SCHEMA_DIR } from "@onecert/subgraph-kit";
import { SHIPPED_DEPARTMENTS } from "@onecert/access";
import { readMatterFiles } from "@onecert/catalogue";
import { describe, expect, it } from "vitest";
import { DEMO_CLIENTS } from "./credentials";
import { SUBGRAPHS } from "./registries";

// The seeded directory is what keeps an existing setup starting: every department the shipped
// configuration names must be in it, or the gateway refuses its own matters and demo clients.
describe("the shipped departments", () => {
  it("hold every department the matters, the subgraphs and the demo clients name", () => {
    const matters = readMatterFiles(join(SCHEMA_DIR, "matters")).catalogue.list();
    const named = new Set([
      ...matters.flatMap((matter) => [matter.department, ...matter.admits.departments]),
      ...SUBGRAPHS.map((subgraph) => subgraph.department),
      ...DEMO_CLIENTS.map((client) => client.department),
    ]);
    named.delete("*");
    const seeded = new Set(SHIPPED_DEPARTMENTS.map((department) => department.code));
    expect([...named].filter((code) => !seeded.has(code))).toEqual([]);
    expect(seeded.size).toBe(SHIPPED_DEPARTMENTS.length);
    for (const department of SHIPPED_DEPARTMENTS) {
      expect(department.nameZh, department.code).toMatch(/\p{Script=Han}/u);
      expect(department.nameEn, department.code).toMatch(/^[A-Z]/);
    }
  });
});
