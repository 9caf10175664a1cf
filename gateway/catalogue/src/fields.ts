import type { LocalizedName } from "./model";

/** Collects the problems of one file, each prefixed with the file, and reads typed fields. */
export class FileProblems {
  readonly list: string[] = [];
  constructor(readonly file: string) {}

  add(reason: string): void {
    this.list.push(`${this.file}: ${reason}`);
  }

  string(value: unknown, what: string): string {
    if (typeof value === "string" && value.trim() !== "") return value;
    this.add(`${what} must be a non-empty string`);
    return "";
  }

  name(value: unknown, what = "name"): LocalizedName {
    const names = value as { zh?: unknown; en?: unknown } | undefined;
    if (typeof names?.zh === "string" && typeof names.en === "string") return { zh: names.zh, en: names.en };
    this.add(`${what} needs zh and en`);
    return { zh: "", en: "" };
  }

  record(value: unknown, what: string): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    this.add(`${what} must be a mapping`);
    return {};
  }

  array(value: unknown, what: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.add(`${what} must be a list`);
    return [];
  }
}

/** Identifiers of certificate types, roles and parameters. */
export const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const PARAMETER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** "30d" or "12h" in milliseconds; null when malformed. */
export function parseValidity(value: unknown): number | null {
  const match = typeof value === "string" ? /^(\d{1,4})([dh])$/.exec(value) : null;
  if (!match) return null;
  const amount = Number(match[1]);
  if (amount <= 0) return null;
  return amount * (match[2] === "d" ? 86_400_000 : 3_600_000);
}
