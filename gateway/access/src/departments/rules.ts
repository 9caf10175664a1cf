import { Refusal, validateUscc } from "@onecert/subgraph-kit";
import { DEPARTMENT } from "../identity/rules";
import type { DepartmentChange, NewDepartment } from "./model";

/** Longest name, in characters, in either language. */
export const MAX_DEPARTMENT_NAME = 100;
/** Longest contact text, in characters. */
export const MAX_DEPARTMENT_CONTACT = 200;

const badRequest = (message: string) => new Refusal("BAD_REQUEST", message);

const blankOrLong = (value: string, max: number) => value.trim() === "" || [...value].length > max;

/** Refuses a change that names nothing to change, or would leave an unusable record. */
export function checkDepartmentChange(code: string, change: DepartmentChange, current: NewDepartment): void {
  if (Object.values(change).every((value) => value === undefined))
    throw badRequest("name at least one of nameZh, nameEn, creditCode, contact to change");
  checkNewDepartment({ ...current, ...change, code });
}

/** Refuses a department that would not be a usable record; the message names the field. */
export function checkNewDepartment(input: NewDepartment): void {
  // The same shape clients already carry, so every existing code stays valid.
  if (!DEPARTMENT.test(input.code))
    throw badRequest(`code must be a lowercase slug such as "public-security" (at most 64 characters)`);
  if (blankOrLong(input.nameZh, MAX_DEPARTMENT_NAME))
    throw badRequest(`nameZh must be 1 to ${MAX_DEPARTMENT_NAME} characters`);
  if (blankOrLong(input.nameEn, MAX_DEPARTMENT_NAME))
    throw badRequest(`nameEn must be 1 to ${MAX_DEPARTMENT_NAME} characters`);
  const credit = validateUscc(input.creditCode);
  if (!credit.ok) throw badRequest(`creditCode: ${credit.reason}`);
  if (input.contact != null && blankOrLong(input.contact, MAX_DEPARTMENT_CONTACT))
    throw badRequest(`contact must be 1 to ${MAX_DEPARTMENT_CONTACT} characters`);
}
