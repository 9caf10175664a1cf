import { Refusal } from "@onecert/subgraph-kit";
import { ROLES, type Role } from "../types";

/** Letters, digits, ".", "_" and "-", 1 to 64 characters, e.g. "hall-west-01". */
export const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A lowercase slug, e.g. "public-security". */
export const DEPARTMENT = /^[a-z][a-z0-9-]{0,63}$/;
/** Key lifetime when none is given, in days. */
export const DEFAULT_KEY_DAYS = 365;
/** Longest key lifetime, in days (ten years). */
export const MAX_KEY_DAYS = 3650;
/** Highest per-client rate limit, per minute. */
export const MAX_RATE_LIMIT = 10_000_000;

const badRequest = (message: string) => new Refusal("BAD_REQUEST", message);

export function checkName(name: string): void {
  if (!CLIENT_NAME.test(name)) {
    throw badRequest(`name must be 1-64 letters, digits, ".", "_" or "-" (starting with a letter or digit)`);
  }
}

export function checkRole(role: string): asserts role is Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw badRequest(`role must be one of ${ROLES.join(", ")}`);
}

export function checkDepartment(department: string): void {
  if (!DEPARTMENT.test(department)) {
    throw badRequest(`department must be a lowercase slug such as "public-security" (at most 64 characters)`);
  }
}

export function checkKeyDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_KEY_DAYS) {
    throw badRequest(`key lifetime must be a whole number of days from 1 to ${MAX_KEY_DAYS}`);
  }
}

export function checkRateLimit(limit: number | null): void {
  if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > MAX_RATE_LIMIT)) {
    throw badRequest(`rateLimitPerMinute must be an integer from 1 to ${MAX_RATE_LIMIT}`);
  }
}
