import { z } from "zod";

/** The schema of one environment variable: its text in, its typed value out. */
export type ValueSchema<T> = z.ZodType<T, string>;

const refuse = (ctx: z.core.$RefinementCtx<string>, message: string): never => {
  ctx.addIssue({ code: "custom", message });
  return z.NEVER;
};

/** An integer in [min, max]. */
export const integer = (min: number, max: number): ValueSchema<number> =>
  z.string().transform((raw, ctx) => {
    const value = Number(raw);
    return Number.isInteger(value) && value >= min && value <= max
      ? value
      : refuse(ctx, `must be an integer from ${min} to ${max}, got "${raw}"`);
  });

const TRUE = /^(1|true|yes|on)$/i;
const FALSE = /^(0|false|no|off)$/i;

/** true/false, yes/no, on/off or 1/0. */
export const flag = (): ValueSchema<boolean> =>
  z
    .string()
    .transform((raw, ctx) =>
      TRUE.test(raw) ? true : FALSE.test(raw) ? false : refuse(ctx, `must be true or false, got "${raw}"`),
    );

/** Any text. */
export const text = (): ValueSchema<string> => z.string();

const choices = (words: readonly string[]): string => {
  const quoted = words.map((word) => `"${word}"`);
  return quoted.length <= 2 ? quoted.join(" or ") : `one of ${quoted.join(", ")}`;
};

/** One of the given words. */
export const oneOf = <const W extends string>(words: readonly W[]): ValueSchema<W> =>
  z
    .string()
    .transform((raw, ctx) =>
      (words as readonly string[]).includes(raw)
        ? (raw as W)
        : refuse(ctx, `must be ${choices(words)}, got "${raw}"`),
    );

/** An http(s) URL. */
export const httpUrl = (): ValueSchema<string> =>
  z
    .string()
    .transform((raw, ctx) => (/^https?:\/\/\S+$/.test(raw) ? raw : refuse(ctx, "must be an http(s) URL")));

/** Text matching `pattern` (a regular expression or a test); `what` completes "must be …" in the problem. */
export const matching = (pattern: RegExp | ((raw: string) => boolean), what: string): ValueSchema<string> =>
  z
    .string()
    .transform((raw, ctx) =>
      (typeof pattern === "function" ? pattern(raw) : pattern.test(raw))
        ? raw
        : refuse(ctx, `must be ${what}, got "${raw}"`),
    );

/** A comma-separated list, each item trimmed and checked by `item` (every bad one reported); empty items are dropped. */
export const list = <T>(item: ValueSchema<T>): ValueSchema<T[]> =>
  z.string().transform((raw, ctx) => {
    const values: T[] = [];
    let bad = false;
    for (const part of raw.split(",").map((entry) => entry.trim())) {
      if (part === "") continue;
      const parsed = item.safeParse(part);
      if (parsed.success) values.push(parsed.data);
      else {
        bad = true;
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
      }
    }
    return bad ? z.NEVER : values;
  });
