import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AUDIT_SETTINGS } from "@onecert/audit";
import { CERTIFICATES_SETTINGS } from "@onecert/certificates";
import { CACHE_SETTINGS, GATEWAY_SETTINGS } from "@onecert/gateway";
import { REGISTRY_SETTINGS } from "@onecert/schema-registry";
import {
  CRYPTO_SETTINGS,
  ROOT,
  shownDefault,
  SUBGRAPH_TRUST_SETTINGS,
  type Setting,
} from "@onecert/subgraph-kit";
import { describe, expect, it } from "vitest";
import { CLI_SETTINGS } from "./settings";

const GROUPS = [
  GATEWAY_SETTINGS,
  CACHE_SETTINGS,
  REGISTRY_SETTINGS,
  AUDIT_SETTINGS,
  CERTIFICATES_SETTINGS,
  SUBGRAPH_TRUST_SETTINGS,
  CRYPTO_SETTINGS,
  CLI_SETTINGS,
];

/** Every row of the README's variable tables: variable → the default column of each row naming it. */
function readmeVariables(): Map<string, string[]> {
  const lines = readFileSync(resolve(ROOT, "README.md"), "utf8").split("\n");
  const rows = new Map<string, string[]>();
  const cells = (line: string) =>
    line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
  for (let at = 0; at < lines.length; at += 1) {
    const header = cells(lines[at]);
    const named = header.findIndex((cell) => cell === "variable" || cell === "setting");
    if (named < 0 || !lines[at + 1]?.startsWith("| ---")) continue;
    const column = header.indexOf("default");
    for (at += 2; lines[at]?.startsWith("|"); at += 1) {
      const row = cells(lines[at]);
      for (const [, name] of row[named].matchAll(/`([A-Z0-9_<>]+)`/g))
        rows.set(name, [...(rows.get(name) ?? []), row[column] ?? ""]);
    }
  }
  return rows;
}

describe("the README's configuration tables", () => {
  const readme = readmeVariables();
  const declared = new Map<string, Setting<unknown>[]>();
  for (const group of GROUPS)
    for (const [name, spec] of Object.entries(group.shape))
      declared.set(name, [...(declared.get(name) ?? []), spec]);

  it("list every variable a service or the command line reads", () => {
    expect([...declared.keys()].filter((name) => !readme.has(name))).toEqual([]);
  });

  it("list only variables something reads", () => {
    const patterns = [...readme.keys()].filter((name) => name.includes("<"));
    const unknown = [...readme.keys()].filter((name) => !name.includes("<") && !declared.has(name));
    expect(unknown).toEqual([]);
    expect(patterns.sort()).toEqual(["<NAME>_DATABASE_URL", "<NAME>_PORT", "SUBGRAPH_URL_<NAME>"]);
  });

  it("state each fixed default as the schema declares it", () => {
    const wrong: string[] = [];
    for (const [name, specs] of declared) {
      for (const spec of specs) {
        if (spec.shown !== undefined || spec.fallback === undefined) continue;
        const shown = shownDefault(spec) ?? "";
        const cells = (readme.get(name) ?? []).map((cell) => cell.replace(/`/g, ""));
        if (!cells.some((cell) => cell.includes(shown)))
          wrong.push(`${name}: "${shown}" not in ${JSON.stringify(cells)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
