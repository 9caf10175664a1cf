import type { AuthenticatedClient, Role } from "../access/types";

/** One call of the admin API, after authentication. */
export interface AdminRequest {
  method: string;
  /** Path below /admin, e.g. "/clients/cl_123/revoke". */
  path: string;
  /** Values of the route's `:name` segments. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when there is none. */
  body: unknown;
  client: AuthenticatedClient;
  requestId: string;
}

export interface AdminResponse {
  status: number;
  body: unknown;
}

/** One endpoint of the admin API; feature modules export lists of these. */
export interface AdminRoute {
  method: "GET" | "POST" | "DELETE";
  /** Below /admin, with `:name` segments, e.g. "/grants/:id/approve". */
  pattern: string;
  /** Roles that may call it; others get 403. */
  roles: readonly Role[];
  handle(request: AdminRequest): Promise<AdminResponse>;
}

/** A refusal with an HTTP status and a stable code, e.g. 404 NOT_FOUND, 409 CONFLICT. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Structured facts for programs (e.g. composition errors), sent as `error.details`. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}
