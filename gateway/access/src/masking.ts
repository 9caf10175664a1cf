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
/**
 * An amount shown as the range it falls in: rounded down to a multiple of `roundDownTo`. The
 * value stays a number (a GraphQL Float stays a Float), so masked amounts are range floors.
 */
interface AmountRule {
  roundDownTo: number;
}

/** Masking patterns per sensitivity; schema/masking.yaml must give one for every sensitivity. */
export type MaskingRules = Partial<Record<Sensitivity, KeepRule | AddressRule | AmountRule>>;

/** Every sensitivity a subgraph may declare; each needs a masking rule. */
export const SENSITIVITIES: readonly Sensitivity[] = [
  "IDENTIFIER",
  "NAME",
  "CONTACT",
  "ADDRESS",
  "FINANCIAL",
];

const DEFAULT_CHAR = "*";

/** Reads and checks schema/masking.yaml; a bad or missing rule stops the gateway with the file and key. */
export function loadMaskingRules(path: string): MaskingRules {
  const fail = (message: string) => new Error(`${path}: ${message}`);
  const text = (value: unknown, fallback: string, where: string): string => {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "string") throw fail(`${where} must be a string`);
    return value;
  };
  const raw = parseYaml(readFileSync(path, "utf8")) as Record<string, Record<string, unknown>> | null;
  const rules: MaskingRules = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (!(SENSITIVITIES as readonly string[]).includes(key))
      throw fail(`${key} is not a sensitivity (${SENSITIVITIES.join(", ")})`);
    if (value.roundDownTo !== undefined) {
      const step = Number(value.roundDownTo);
      if (!Number.isFinite(step) || step <= 0) throw fail(`${key}.roundDownTo must be a positive number`);
      rules[key as Sensitivity] = { roundDownTo: step };
    } else if (Array.isArray(value.keepThrough)) {
      rules[key as Sensitivity] = {
        keepThrough: value.keepThrough.map((marker, at) => text(marker, "", `${key}.keepThrough[${at}]`)),
        suffix: text(value.suffix, "****", `${key}.suffix`),
      };
    } else {
      const keepStart = Number(value.keepStart ?? 0);
      const keepEnd = Number(value.keepEnd ?? 0);
      if (!Number.isInteger(keepStart) || !Number.isInteger(keepEnd) || keepStart < 0 || keepEnd < 0)
        throw fail(`${key} needs non-negative integers keepStart and keepEnd`);
      rules[key as Sensitivity] = { keepStart, keepEnd, char: text(value.char, DEFAULT_CHAR, `${key}.char`) };
    }
  }
  const missing = SENSITIVITIES.filter((sensitivity) => !rules[sensitivity]);
  if (missing.length > 0)
    throw fail(`no masking rule for ${missing.join(", ")}: every sensitivity needs one`);
  return rules;
}

/** Whether values of this sensitivity are masked at all. */
export const isMasked = (rules: MaskingRules, sensitivity: Sensitivity): boolean =>
  rules[sensitivity] !== undefined;

/**
 * Masks one value: ID 110105********002X, phone 138****5678, name 张*丰, address up to the
 * district, an amount to the floor of its range. A value the rule does not fit (a number under a
 * string pattern) is masked whole, never passed in clear.
 */
export function maskValue(rules: MaskingRules, sensitivity: Sensitivity, value: string): string;
export function maskValue(
  rules: MaskingRules,
  sensitivity: Sensitivity,
  value: string | number,
): string | number;
export function maskValue(
  rules: MaskingRules,
  sensitivity: Sensitivity,
  value: string | number,
): string | number {
  const rule = rules[sensitivity];
  if (!rule) return value;
  if ("roundDownTo" in rule) {
    const amount = typeof value === "number" ? value : Number(value);
    if (!Number.isFinite(amount)) return "****";
    const floor = Math.floor(amount / rule.roundDownTo) * rule.roundDownTo;
    return typeof value === "number" ? floor : String(floor);
  }
  const chars = Array.from(String(value));
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
