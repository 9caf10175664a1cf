import type { AuthenticatedClient, Role } from "@onecert/access";

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
