import { Refusal, readBody, sendJson } from "@onecert/subgraph-kit";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthenticatedClient } from "@onecert/access";
import { type AdminRoute } from "./types";

/** Serves one authenticated request below /admin/. */
export type AdminHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  client: AuthenticatedClient,
  requestId: string,
) => Promise<void>;

export interface AdminHandlerOptions {
  /** Largest accepted body in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Told about every unexpected error (the caller only sees a generic 500); default none. */
  onError?: (error: unknown, requestId: string) => void;
}

interface Compiled {
  route: AdminRoute;
  segments: string[];
}

const split = (path: string): string[] => {
  const segments = path.split("/").slice(1);
  return segments.length > 1 && segments[segments.length - 1] === "" ? segments.slice(0, -1) : segments;
};

function match(segments: string[], path: string[]): Record<string, string> | null {
  if (segments.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.startsWith(":")) {
      if (path[index] === "") return null;
      params[segment.slice(1)] = path[index];
    } else if (segment !== path[index]) return null;
  }
  return params;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new Refusal("BAD_REQUEST", "malformed path");
  }
}

async function parseBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  if (req.method === "GET") return undefined;
  const text = await readBody(req, maxBytes);
  if (text.trim() === "") return undefined;
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new Refusal("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal("BAD_REQUEST", "request body is not valid JSON");
  }
}

/**
 * The admin API over `routes`: matches method and pattern below /admin, checks the caller's role
 * (403), parses JSON bodies (400, 415) and answers `{"data": ...}` or `{"error": {code, message}}`.
 * Unexpected errors become a generic 500; their details go to `onError` only.
 */
export function createAdminHandler(
  routes: readonly AdminRoute[],
  options: AdminHandlerOptions = {},
): AdminHandler {
  const compiled: Compiled[] = routes.map((route) => ({ route, segments: split(route.pattern) }));
  const maxBytes = options.maxBodyBytes ?? 64 * 1024;

  return async (req, res, client, requestId) => {
    const headers: Record<string, string> = { "x-request-id": requestId, "cache-control": "no-store" };
    const fail = (status: number, code: string, message: string, details?: unknown) =>
      sendJson(
        res,
        status,
        { error: details === undefined ? { code, message } : { code, message, details } },
        headers,
      );
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const method = (req.method ?? "GET").toUpperCase();
      const path = url.pathname.startsWith("/admin/") ? url.pathname.slice("/admin".length) : null;
      const found: (Compiled & { params: Record<string, string> })[] = [];
      if (path !== null) {
        const segments = split(path).map(decode);
        for (const candidate of compiled) {
          const params = match(candidate.segments, segments);
          if (params) found.push({ ...candidate, params });
        }
      }
      if (found.length === 0) return fail(404, "NOT_FOUND", `no admin endpoint ${method} ${url.pathname}`);
      const hit = found.find((candidate) => candidate.route.method === method);
      if (!hit) {
        headers.allow = [...new Set(found.map((candidate) => candidate.route.method))].join(", ");
        return fail(405, "METHOD_NOT_ALLOWED", `${method} is not allowed on ${url.pathname}`);
      }
      if (!hit.route.roles.includes(client.role)) {
        return fail(
          403,
          "FORBIDDEN",
          `a ${client.role} client may not call ${method} /admin${hit.route.pattern}`,
        );
      }
      const body = await parseBody(req, maxBytes);
      const result = await hit.route.handle({
        method,
        path: path as string,
        params: hit.params,
        query: url.searchParams,
        body,
        client,
        requestId,
      });
      sendJson(res, result.status, { data: result.body }, headers);
    } catch (error) {
      if (res.headersSent) {
        res.end();
      } else if (error instanceof Refusal) {
        fail(error.status, error.code, error.message, error.details);
      } else {
        options.onError?.(error, requestId);
        fail(500, "INTERNAL", "internal error; the request id in the logs has the details");
      }
    }
  };
}
