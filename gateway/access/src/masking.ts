import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { Sensitivity } from "@onecert/subgraph-kit";

interface KeepRule {
  keepStart: number;
  keepEnd: number;
  char: string;
}
interface AddressRule {
  keepThrough: string[];
  suffix: string;
}

/** Masking patterns per sensitivity; a sensitivity without a rule (FINANCIAL) is never masked. */
export type MaskingRules = Partial<Record<Sensitivity, KeepRule | AddressRule>>;

const DEFAULT_CHAR = "*";

/** Reads and checks schema/masking.yaml; a bad rule stops the gateway with the file and key. */
export function loadMaskingRules(path: string): MaskingRules {
  const text = (value: unknown, fallback: string, where: string): string => {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "string") throw new Error(`${path}: ${where} must be a string`);
    return value;
  };
  const raw = parseYaml(readFileSync(path, "utf8")) as Record<string, Record<string, unknown>> | null;
  const rules: MaskingRules = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (!["IDENTIFIER", "NAME", "CONTACT", "ADDRESS"].includes(key)) {
      throw new Error(`${path}: ${key} is not a maskable sensitivity (IDENTIFIER, NAME, CONTACT, ADDRESS)`);
    }
    if (Array.isArray(value.keepThrough)) {
      rules[key as Sensitivity] = {
        keepThrough: value.keepThrough.map(String),
        suffix: text(value.suffix, "****", `${key}.suffix`),
      };
      continue;
    }
    const keepStart = Number(value.keepStart ?? 0);
    const keepEnd = Number(value.keepEnd ?? 0);
    if (!Number.isInteger(keepStart) || !Number.isInteger(keepEnd) || keepStart < 0 || keepEnd < 0) {
      throw new Error(`${path}: ${key} needs non-negative integers keepStart and keepEnd`);
    }
    rules[key as Sensitivity] = { keepStart, keepEnd, char: text(value.char, DEFAULT_CHAR, `${key}.char`) };
  }
  return rules;
}

/** Whether values of this sensitivity are masked at all. */
export const isMasked = (rules: MaskingRules, sensitivity: Sensitivity): boolean =>
  rules[sensitivity] !== undefined;

/** Masks one value: ID 110105********002X, phone 138****5678, name 张*丰, address up to the district. */
export function maskValue(rules: MaskingRules, sensitivity: Sensitivity, value: string): string {
  const rule = rules[sensitivity];
  if (!rule) return value;
  const chars = Array.from(value);
  if ("keepThrough" in rule) {
    // Markers in priority order: the district (区, 县) before the city (市).
    const cut = rule.keepThrough.map((marker) => chars.indexOf(marker)).find((at) => at >= 0) ?? -1;
    const keep = cut >= 0 ? cut + 1 : Math.min(3, chars.length);
    return chars.slice(0, keep).join("") + rule.suffix;
  }
  if (chars.length > rule.keepStart + rule.keepEnd) {
    const middle = rule.char.repeat(chars.length - rule.keepStart - rule.keepEnd);
    return (
      chars.slice(0, rule.keepStart).join("") + middle + chars.slice(chars.length - rule.keepEnd).join("")
    );
  }
  const kept = Math.min(rule.keepStart, Math.max(chars.length - 1, 0));
  return chars.slice(0, kept).join("") + rule.char.repeat(chars.length - kept);
}
