import type { AuthenticatedClient, ConsoleRole, Role } from "@onecert/access";
import type { z } from "zod";

/**
 * What an endpoint accepts and answers, as zod schemas: the edge validates requests against them
 * (unknown fields refused) and the OpenAPI document at /admin/openapi.json is generated from them.
 */
export interface RouteSchema {
  /** The `:name` segments; default: each a string. */
  params?: z.ZodType;
  /** The query string; default: none accepted. */
  query?: z.ZodType;
  /** The JSON body (an absent body is validated as `{}`); default: none accepted. */
  body?: z.ZodType;
  /** The `data` of a success answer; the edge wraps it as `{"data": ...}`. */
  response: z.ZodType;
}

type Parsed<T, Fallback> = T extends z.ZodType ? z.output<T> : Fallback;

/** One call of the admin API, after authentication and validation. */
export interface AdminRequest<S extends RouteSchema = RouteSchema> {
  method: string;
  /** Path below /admin, e.g. "/clients/cl_123/revoke". */
  path: string;
  params: Parsed<S["params"], Record<string, string>>;
  query: Parsed<S["query"], Record<string, never>>;
  body: Parsed<S["body"], undefined>;
  client: AuthenticatedClient;
  requestId: string;
}

export interface AdminResponse<Body = unknown> {
  status: number;
  body: Body;
}

/** One endpoint of the admin API; feature modules export lists of these. */
export interface AdminRoute<S extends RouteSchema = RouteSchema> {
  method: "GET" | "POST" | "DELETE";
  /** Below /admin, with `:name` segments, e.g. "/grants/:id/approve". */
  pattern: string;
  /** Roles that may call it; others get 403. */
  roles: readonly Role[];
  /**
   * Console users who may call it through a session, on top of their client's role: a supervisor
   * reads the statistics with an auditor client, not the records. Default: any console user.
   */
  consoleRoles?: readonly ConsoleRole[];
  /** One line for the API's description. */
  summary: string;
  /** Groups endpoints in the description (clients, grants, audit, ...). */
  tag: string;
  schema: S;
  /** Its answer; the body is checked against `schema.response` as JSON in tests (see the edge). */
  handle(request: AdminRequest<S>): Promise<AdminResponse>;
}

/** A download: lines streamed after the request is recorded (bodies too large to hold back). */
export interface AdminDownload<S extends RouteSchema = RouteSchema> extends Omit<AdminRoute<S>, "handle"> {
  /** The content types it may answer with, for the description. */
  produces: readonly string[];
  /** Checks the request (throwing a Refusal) before anything is recorded or sent. */
  open(request: AdminRequest<S>): { type: string; lines: AsyncIterable<string> };
}

/** An endpoint with its own schema types, stored in a list of any endpoints. */
export const route = <S extends RouteSchema>(definition: AdminRoute<S>): AdminRoute => definition;

export const download = <S extends RouteSchema>(definition: AdminDownload<S>): AdminDownload => definition;

export const isDownload = (endpoint: AdminRoute | AdminDownload): endpoint is AdminDownload =>
  "open" in endpoint;
