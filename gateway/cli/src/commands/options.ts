import { parseArgs } from "node:util";
import { validatePeriod } from "@onecert/subgraph-kit/core";

export { UsageError } from "./usage-error";
import { UsageError } from "./usage-error";

export interface WorldFlags {
  persons?: number;
  seed?: number;
  asOf?: string;
}

const int = (name: string, raw: string | undefined, min: number, max: number): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
};

/** Parses the flags shared by the commands that make or describe a synthetic world. */
export function parseWorldFlags(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      persons: { type: "string" },
      seed: { type: "string" },
      "as-of": { type: "string" },
      json: { type: "boolean" },
      case: { type: "string" },
    },
  });
  const asOf = values["as-of"];
  if (asOf !== undefined) {
    const check = validatePeriod(asOf);
    if (!check.ok) throw new UsageError(`--as-of: ${check.reason}`);
  }
  const world: WorldFlags = {
    persons: int("persons", values.persons, 1, 1_000_000),
    seed: int("seed", values.seed, 0, 2 ** 31 - 1),
    asOf,
  };
  return { world, values, positionals };
}
