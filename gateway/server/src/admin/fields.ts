import { parseIsoDate } from "@onecert/subgraph-kit";
import { z } from "zod";

// The building blocks of the admin API's request schemas. Each message reads after the field's
// name ("name is required", "limit must be an integer from 1 to 500"): the edge prefixes the path.

const required = (otherwise: string) => (issue: { input?: unknown }) =>
  issue.input === undefined || issue.input === null ? "is required" : otherwise;

/** A string of 1 to `max` characters, not blank. */
export const text = (max: number) => {
  const message = `must be 1 to ${max} characters`;
  return z
    .string({ error: required("must be a string") })
    .min(1, { error: message })
    .max(max, { error: message })
    .refine((value) => value.trim() !== "", { error: message });
};

/** An optional `text`; null counts as absent. */
export const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((value) => value ?? undefined);

/** A text that may be set to null (to clear it), or left out. */
export const clearableText = (max: number) => text(max).nullable().optional();

export const flag = () =>
  z
    .boolean({ error: "must be true or false" })
    .nullish()
    .transform((value) => value ?? undefined);

/** An integer from `min` to `max` that must be given. */
const wholeNumber = (min: number, max: number, absent: string) => {
  const message = `must be an integer from ${min} to ${max}`;
  return z
    .number({ error: (issue) => (issue.input === undefined || issue.input === null ? absent : message) })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
};

export const requiredInteger = (min: number, max: number) => wholeNumber(min, max, "is required");

/** An integer from `min` to `max`; null counts as absent. */
export const integer = (min: number, max: number) =>
  wholeNumber(min, max, `must be an integer from ${min} to ${max}`)
    .nullish()
    .transform((value) => value ?? undefined);

/** A non-empty list of strings. */
export const textList = () => {
  const message = "must be a non-empty list of strings";
  return z.array(z.string({ error: message }), { error: message }).min(1, { error: message });
};

/** An ISO date (YYYY-MM-DD) or date-time; a date alone means its start, or its end with `endOfDay`. */
export const isoDate = (endOfDay: boolean) =>
  z
    .string({ error: required("must be an ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)") })
    .transform((value, context) => {
      const parsed = parseIsoDate(value, endOfDay);
      if (parsed) return parsed;
      context.addIssue({
        code: "custom",
        message: "must be an ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)",
      });
      return z.NEVER;
    })
    .meta({ format: "date-time", examples: ["2030-12-31", "2030-12-31T16:00:00Z"] });

/** One of `values`, named in the message. */
export const oneOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, { error: required(`must be one of ${values.join(", ")}`) });

/** A JSON object with only the fields of `shape`; the message names the unknown ones. */
export const object = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return "request body must be a JSON object";
      const keys = issue.keys;
      const expected = Object.keys(shape);
      return `unknown field${keys.length > 1 ? "s" : ""} ${keys.join(", ")} (expected ${expected.length ? expected.join(", ") : "none"})`;
    },
  });

/** The query string's parameters: each a single string; others refused as unknown. */
export const query = object;

/** A whole number written in a query string or path segment, from `min` to `max`. */
export const numeral = (min: number, max: number, message = `must be an integer from ${min} to ${max}`) =>
  z
    .string({ error: required(message) })
    .regex(/^\d{1,15}$/, { error: message })
    .transform(Number)
    .refine((value) => value >= min && value <= max, { error: message })
    .meta({ pattern: "^\\d{1,15}$" });

/** The error body every refusal carries. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable code, e.g. BAD_REQUEST, FORBIDDEN" }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });
