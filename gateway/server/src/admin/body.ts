import { parseIsoDate, Refusal } from "@onecert/subgraph-kit";

const badRequest = (message: string) => new Refusal("BAD_REQUEST", message);

/** A JSON object body with only the `allowed` fields; an absent body counts as `{}`. */
export function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (body === undefined) return {};
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest("request body must be a JSON object");
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw badRequest(
      `unknown field${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (expected ${allowed.join(", ")})`,
    );
  }
  return body as Record<string, unknown>;
}

/** A string field of 1 to `max` characters; undefined when absent and not `required`. */
export function stringField(body: Record<string, unknown>, name: string, max: number, required: true): string;
export function stringField(
  body: Record<string, unknown>,
  name: string,
  max: number,
  required?: false,
): string | undefined;
export function stringField(body: Record<string, unknown>, name: string, max: number, required = false) {
  const value = body[name];
  if (value === undefined || value === null) {
    if (required) throw badRequest(`${name} is required`);
    return undefined;
  }
  if (typeof value !== "string") throw badRequest(`${name} must be a string`);
  if (value.trim() === "" || value.length > max) throw badRequest(`${name} must be 1 to ${max} characters`);
  return value;
}

export function booleanField(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badRequest(`${name} must be true or false`);
  return value;
}

/** An integer from `min` to `max`; null and absent both give undefined. */
export function integerField(body: Record<string, unknown>, name: string, min: number, max: number) {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function stringListField(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== "string")) {
    throw badRequest(`${name} must be a non-empty list of strings`);
  }
  return value as string[];
}

/** An ISO date field (see parseIsoDate). */
export function dateField(body: Record<string, unknown>, name: string, endOfDay: boolean, required: boolean) {
  const value = body[name];
  if (value === undefined || value === null) {
    if (required) throw badRequest(`${name} is required`);
    return undefined;
  }
  const parsed = typeof value === "string" ? parseIsoDate(value, endOfDay) : null;
  if (!parsed)
    throw badRequest(`${name} must be an ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)`);
  return parsed;
}
