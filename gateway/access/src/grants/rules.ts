import { Refusal } from "@onecert/subgraph-kit";
import type { GrantStatus } from "../types";

export const GRANT_STATUSES: readonly GrantStatus[] = ["REQUESTED", "APPROVED", "REJECTED", "REVOKED"];

/** "Type.field" or "Type.*". */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*\.(\*|[A-Za-z_][A-Za-z0-9_]*)$/;
const MATTER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** Longest grant, counted from now. */
export const MAX_GRANT_YEARS = 3;
const MAX_FIELDS = 200;
const MAX_MATTERS = 100;
export const MAX_REASON = 2000;

const badRequest = (message: string) => new Refusal("BAD_REQUEST", message);

function checkList(
  name: string,
  values: unknown,
  max: number,
  pattern: RegExp,
  exists: (value: string) => boolean,
): string[] {
  if (!Array.isArray(values) || values.length === 0) throw badRequest(`${name} must be a non-empty list`);
  if (values.length > max) throw badRequest(`${name} has over ${max} entries`);
  const malformed = values.filter((value) => typeof value !== "string" || !pattern.test(value));
  if (malformed.length > 0) throw badRequest(`malformed ${name}: ${malformed.map(String).join(", ")}`);
  const unique = [...new Set(values as string[])];
  const unknown = unique.filter((value) => !exists(value));
  if (unknown.length > 0) throw badRequest(`unknown ${name}: ${unknown.join(", ")}`);
  return unique;
}

/** The latest validUntil a grant requested at `now` may have. */
export function latestValidUntil(now: Date): Date {
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_GRANT_YEARS);
  return limit;
}

/** Checks a grant request; returns its deduplicated lists and effective start. */
export function checkGrantRequest(input: GrantRequest, now: Date, validators: GrantValidators) {
  const fields = checkList("fields", input.fields, MAX_FIELDS, FIELD, (name) => validators.fieldExists(name));
  const matters = checkList("matters", input.matters, MAX_MATTERS, MATTER, (code) =>
    validators.matterExists(code),
  );
  if (typeof input.clearValues !== "boolean") throw badRequest("clearValues must be true or false");
  if (typeof input.reason !== "string" || input.reason.trim() === "" || input.reason.length > MAX_REASON) {
    throw badRequest(`reason must be a non-empty text of at most ${MAX_REASON} characters`);
  }
  const validFrom = input.validFrom ?? now;
  if (!(validFrom instanceof Date) || Number.isNaN(validFrom.getTime()))
    throw badRequest("validFrom is not a date");
  if (!(input.validUntil instanceof Date) || Number.isNaN(input.validUntil.getTime())) {
    throw badRequest("validUntil is not a date");
  }
  if (input.validUntil <= validFrom) throw badRequest("validUntil must be after validFrom");
  if (input.validUntil > latestValidUntil(now)) {
    throw badRequest(`validUntil may be at most ${MAX_GRANT_YEARS} years ahead`);
  }
  return { fields, matters, validFrom };
}

/** What the lead knows about the supergraph and the matter catalogue, to reject unknown names. */
export interface GrantValidators {
  /** "Type.field", or "Type.*" meaning the type exists. */
  fieldExists(name: string): boolean;
  matterExists(code: string): boolean;
}

export interface GrantRequest {
  clientId: string;
  fields: string[];
  matters: string[];
  clearValues: boolean;
  /** Default now. */
  validFrom?: Date;
  /** After validFrom, at most 3 years from now. */
  validUntil: Date;
  reason: string;
  /** The id of the client asking. */
  requestedBy: string;
  /** When set, `clientId` must belong to this department (403 otherwise): a department asking. */
  requesterDepartment?: string;
}
