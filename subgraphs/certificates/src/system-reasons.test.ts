import { describe, expect, it } from "vitest";
import { systemReason } from "./reasons";

describe("system reasons", () => {
  it("name the shared registries in Chinese for a clerk, and keep their ids as parameters", () => {
    const down = systemReason("REGISTRY_UNAVAILABLE", { registries: ["population", "social-insurance"] });
    expect(down.params).toEqual({ registries: ["population", "social-insurance"] });
    expect(down.text.zh).toMatch(/^人口.社会保险登记库未响应/);
    expect(down.text.zh).not.toMatch(/population|social-insurance/);
    expect(down.text.en).toContain("population");
  });

  it("show a department's own subgraph by its name", () => {
    const missing = systemReason("SUBJECT_NOT_FOUND", { registry: "housing-fund" });
    expect(missing.text.zh).toBe("housing-fund登记库中没有该主体的记录");
  });
});
