/**
 * The gateway's own APIs as the console calls them: same origin, the session cookie (HttpOnly,
 * so never read here), and the session's CSRF token on every state-changing request.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let csrfToken: string | null = null;
/** Called with the token login and GET /console/api/session answer; null after logout. */
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};
export const currentCsrfToken = () => csrfToken;

interface ErrorShape {
  error?: { code?: string; message?: string; details?: unknown };
  errors?: { message?: string; extensions?: { code?: string; details?: unknown; denied?: unknown } }[];
}

function errorOf(status: number, body: unknown): ApiError {
  const shaped = (body ?? {}) as ErrorShape;
  if (shaped.error)
    return new ApiError(
      status,
      shaped.error.code ?? "ERROR",
      shaped.error.message ?? "",
      shaped.error.details,
    );
  const first = shaped.errors?.[0];
  if (first)
    return new ApiError(
      status,
      first.extensions?.code ?? "ERROR",
      first.message ?? "",
      first.extensions?.details ?? first.extensions?.denied,
    );
  return new ApiError(status, `HTTP_${status}`, `HTTP ${status}`);
}

/** Headers every console request sends: JSON, and the CSRF token unless the method is safe. */
export function sessionHeaders(method: string, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json", ...extra };
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  return headers;
}

export async function request<T>(
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: sessionHeaders(
      method,
      body === undefined ? headers : { "content-type": "application/json", ...headers },
    ),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) throw errorOf(response.status, parsed);
  return parsed as T;
}

type Query = Record<string, string | number | undefined | null>;

const withQuery = (path: string, query?: Query) => {
  const entries = Object.entries(query ?? {}).filter(
    ([, value]) => value !== undefined && value !== null && value !== "",
  );
  return entries.length === 0
    ? path
    : `${path}?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
};

/** The admin and auditor API below /admin: answers are `{data}`, refusals `{error: {code, message}}`. */
export const adminApi = {
  get: async <T>(path: string, query?: Query) =>
    (await request<{ data: T }>("GET", withQuery(`/admin${path}`, query))).data,
  post: async <T>(path: string, body: unknown = {}) =>
    (await request<{ data: T }>("POST", `/admin${path}`, body)).data,
};

export interface Purpose {
  /** x-matter-code: every data request states the matter it serves. */
  matter: string;
  /** x-case-number, when there is a case file. */
  caseNumber?: string;
}

/** One GraphQL request at /graphql; the first error is thrown as an ApiError with its code. */
export async function graphql<T>(
  query: string,
  variables: Record<string, unknown>,
  purpose: Purpose,
): Promise<T> {
  const headers: Record<string, string> = { "x-matter-code": purpose.matter };
  if (purpose.caseNumber) headers["x-case-number"] = purpose.caseNumber;
  const answer = await request<{ data?: T; errors?: ErrorShape["errors"] }>(
    "POST",
    "/graphql",
    { query, variables },
    headers,
  );
  if (answer.errors && answer.errors.length > 0) throw errorOf(200, answer);
  return answer.data as T;
}
