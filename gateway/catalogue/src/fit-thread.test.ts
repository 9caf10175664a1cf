import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SCHEMA_DIR, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { describe, expect, it } from "vitest";
import { catalogueProblems } from "./fit";
import { catalogueProblemsOffThread } from "./fit-thread";
import { readCatalogueDirs } from "./sources";

const dirs = readCatalogueDirs({
  certificatesDir: join(SCHEMA_DIR, "certificates"),
  mattersDir: join(SCHEMA_DIR, "matters"),
});

describe("the catalogue check in its own thread", () => {
  it("finds what the check finds in process: nothing for the supergraph, each broken field for a change", async () => {
    const sdl = readFileSync(SUPERGRAPH_PATH, "utf8");
    expect(await catalogueProblemsOffThread(dirs, sdl)).toEqual([]);
    // Every regionCode (RealEstate's is read by a certificate type) renamed away.
    const changed = sdl.replaceAll("regionCode: String!", "regionKode: String!");
    expect(changed).not.toBe(sdl);
    const problems = await catalogueProblemsOffThread(dirs, changed);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).toContain("regionCode");
    expect(problems).toEqual(catalogueProblems(dirs, changed));
  });

  it("answers calls made at once, each with its own result", async () => {
    const sdl = readFileSync(SUPERGRAPH_PATH, "utf8");
    const results = await Promise.all(
      [sdl, "not a schema", sdl].map((text) => catalogueProblemsOffThread(dirs, text)),
    );
    expect(results[0]).toEqual([]);
    expect(results[1].length).toBeGreaterThan(0);
    expect(results[2]).toEqual([]);
  });
});
