import type { IncomingHttpHeaders } from "node:http";

/**
 * The header names OneCert reads and sends, in one place. A data request states who asks and why
 * (operator, matter, case); every hop carries the request id.
 */
export const HEADERS = {
  /** The request id, kept across every hop so one request's records line up. */
  requestId: "x-request-id",
  /** The clerk (operator) acting at the calling system. */
  operator: "x-operator-id",
  /** The matter (事项) the request serves: minimum necessary is checked against it. */
  matter: "x-matter-code",
  /** The case file, when there is one. */
  caseNumber: "x-case-number",
  /** An API key sent outside `authorization`. */
  apiKey: "x-api-key",
  /** The token the gateway gives a certificate check, returned on the check's data request. */
  checkToken: "x-onecert-check",
} as const;

/** The first value of header `name`, trimmed; null when absent or empty. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : null;
}
