import type { IncomingHttpHeaders } from "node:http";
import type { RequestPurpose } from "./types";

const header = (headers: IncomingHttpHeaders, name: string): string | null => {
  const value = headers[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : null;
};

/** Who asks and why, as the request states it; the policy checks it for data requests. */
export function purposeOf(headers: IncomingHttpHeaders): RequestPurpose {
  return {
    operatorId: header(headers, "x-operator-id"),
    matterCode: header(headers, "x-matter-code"),
    caseNumber: header(headers, "x-case-number"),
  };
}
