import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { SCHEMA_DIR } from "@onecert/subgraph-kit";

/** A matters directory of schema/matters plus test-only matter files, and a way to remove it. */
export function mattersWith(...files: string[]): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "onecert-matters-"));
  for (const file of readdirSync(join(SCHEMA_DIR, "matters")))
    copyFileSync(join(SCHEMA_DIR, "matters", file), join(dir, file));
  for (const file of files) copyFileSync(file, join(dir, basename(file)));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
