import type { AuditKind, AuditOutcome } from "../record";

/** Error codes that mean the request was refused rather than failed. */
const DENIED = new Set(["UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED"]);
const MAX_TEXT = 256;

/** Text from a request (headers, path) as recorded: NUL removed, at most `max` characters (default 256). */
export const clip = (text: string | null | undefined, max = MAX_TEXT): string | null =>
  text === null || text === undefined ? null : text.replaceAll("\u0000", "").slice(0, max);

/** Where a path enters the gateway: GraphQL, the admin API (auditor API included), metrics, anything else. */
export const kindOf = (path: string): AuditKind =>
  path === "/graphql" || path === "/"
    ? "graphql"
    : path.startsWith("/admin/")
      ? "admin"
      : path === "/metrics"
        ? "metrics"
        : "http";

/** The error code of a JSON error body, GraphQL (`errors[0].extensions.code`) or admin (`error.code`). */
export function codeInBody(body: Buffer | string): string | null {
  try {
    const parsed = JSON.parse(typeof body === "string" ? body : body.toString("utf8")) as {
      errors?: { extensions?: { code?: unknown } }[];
      error?: { code?: unknown };
    };
    const code = parsed.errors?.[0]?.extensions?.code ?? parsed.error?.code;
    return typeof code === "string" ? code : null;
  } catch {
    return null;
  }
}

/** ok, denied (refused by policy: 401, 403, 429, or such a code) or error, with the first error code. */
export function outcomeOf(
  status: number,
  codes: string[],
): { outcome: AuditOutcome; errorCode: string | null } {
  const denied = codes.find((code) => DENIED.has(code));
  if (denied || status === 401 || status === 403 || status === 429) {
    return { outcome: "denied", errorCode: denied ?? codes[0] ?? String(status) };
  }
  if (codes.length > 0 || status >= 400) return { outcome: "error", errorCode: codes[0] ?? String(status) };
  return { outcome: "ok", errorCode: null };
}
