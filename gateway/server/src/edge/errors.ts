import { Refusal } from "@onecert/subgraph-kit";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

/**
 * Two error shapes, as before the framework: the admin and auditor API answers
 * `{"error": {code, message, details?}}`, everything else (GraphQL, 401s, edge refusals) the
 * GraphQL shape `{"errors": [{message, extensions: {code}}]}`.
 */
const adminShaped = (url: string) => url.startsWith("/admin/") || url === "/metrics";

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): FastifyReply {
  const body = adminShaped(request.url)
    ? { error: details === undefined ? { code, message } : { code, message, details } }
    : { errors: [{ message, extensions: details === undefined ? { code } : { code, details } }] };
  return reply.code(status).type("application/json; charset=utf-8").send(body);
}

/** One validation issue as the message reads: "name is required", "unknown field colour (...)". */
function issueText(issue: { instancePath: string; message?: string }): string {
  // List positions say nothing a caller needs ("fields.0"): the field's name is enough.
  const path = issue.instancePath
    .split("/")
    .filter((segment) => segment !== "" && !/^\d+$/.test(segment))
    .join(".");
  return path ? `${path} ${issue.message ?? "is invalid"}` : (issue.message ?? "is invalid");
}

/** Fastify's own refusals (body parsing, limits, routing), named as the gateway names them. */
function frameworkRefusal(error: FastifyError, maxBodyBytes: number): Refusal | null {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new Refusal("PAYLOAD_TOO_LARGE", `request body over ${maxBodyBytes} bytes`);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new Refusal("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new Refusal("BAD_REQUEST", "request body is not valid JSON");
    case "FST_UNDER_PRESSURE":
      // under-pressure has set retry-after already.
      return new Refusal("OVERLOADED", "the gateway is overloaded; try again shortly");
    case "FST_ERR_BAD_URL":
      return new Refusal("BAD_REQUEST", "malformed path");
    default:
      return null;
  }
}

export interface EdgeErrorOptions {
  /** Told about every unexpected error; the caller only sees a generic 500. */
  onError: (error: unknown, requestId: string) => void;
  /** The route's body limit, for the message of a 413. */
  bodyLimitOf: (request: FastifyRequest) => number;
}

/** The error handler of every route: refusals keep their code, anything else is a bare 500. */
export function edgeErrorHandler(options: EdgeErrorOptions) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        path: issue.instancePath,
        message: issueText(issue),
      }));
      return sendError(request, reply, 400, "BAD_REQUEST", issues.map((issue) => issue.message).join("; "), {
        issues,
      });
    }
    const refusal =
      error instanceof Refusal
        ? error
        : request.raw.destroyed || error.code === "ECONNRESET"
          ? new Refusal("REQUEST_ABORTED", "the client closed the request before its body arrived")
          : frameworkRefusal(error, options.bodyLimitOf(request));
    if (refusal)
      return sendError(request, reply, refusal.status, refusal.code, refusal.message, refusal.details);
    options.onError(error, request.id);
    return adminShaped(request.url)
      ? sendError(
          request,
          reply,
          500,
          "INTERNAL",
          "internal error; the request id in the logs has the details",
        )
      : sendError(request, reply, 500, "INTERNAL_SERVER_ERROR", "internal error");
  };
}
