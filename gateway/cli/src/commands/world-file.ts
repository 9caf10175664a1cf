import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { SeedInfo } from "@onecert/synthetic-world";
import { DATA_DIR } from "@onecert/subgraph-kit/core";
import { cliSettings } from "../settings";

/**
 * Where `start` and `seed` record the world they loaded, so `samples` can describe it without
 * opening the database (an embedded one is held by the running server). Env WORLD_FILE,
 * default .data/world.json.
 */
export const worldFile = (): string => cliSettings().WORLD_FILE ?? resolve(DATA_DIR, "world.json");

export function writeWorldFile(info: SeedInfo, path = worldFile()): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    JSON.stringify({ seed: info.seed, persons: info.persons, asOf: info.asOf }, null, 2) + "\n",
  );
}

export function readWorldFile(path = worldFile()): Pick<SeedInfo, "seed" | "persons" | "asOf"> | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Pick<SeedInfo, "seed" | "persons" | "asOf">;
  } catch {
    return null;
  }
}
