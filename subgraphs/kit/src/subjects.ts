import { validateIdNumber, validateUnitNumber, validateUscc } from "./ids";

const ID = /^\d{17}[\dX]$/;
const USCC = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;
const UNIT = /^[0-9A-Z]{28}$/;

/** Whether a string is an ID number, a social credit code or a real-estate unit number (check characters verified). */
export function isSubject(value: string): boolean {
  if (value.length === 18) {
    return (ID.test(value) && validateIdNumber(value).ok) || (USCC.test(value) && validateUscc(value).ok);
  }
  return value.length === 28 && UNIT.test(value) && validateUnitNumber(value).ok;
}

/** Every subject identifier among the strings of a JSON value (variables), up to `max` in `into`. */
export function collectSubjects(value: unknown, into: Set<string>, max: number): void {
  if (into.size >= max || value === null || value === undefined) return;
  if (typeof value === "string") {
    if (isSubject(value)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSubjects(item, into, max);
  } else if (typeof value === "object") {
    for (const item of Object.values(value)) collectSubjects(item, into, max);
  }
}
