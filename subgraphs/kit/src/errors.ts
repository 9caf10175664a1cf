import { GraphQLError, type GraphQLFormattedError } from "graphql";

/** Codes a caller can rely on in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  INTERNAL: "INTERNAL_SERVER_ERROR",
} as const;

/**
 * Keeps BAD_USER_INPUT when a scalar rejected a literal (GraphQL reports that as a validation
 * failure), and never lets an internal error's message or stack reach the caller.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (original instanceof GraphQLError && original.extensions.code === ErrorCode.BAD_USER_INPUT) {
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT } };
  }
  const code = formatted.extensions?.code;
  if (code === ErrorCode.INTERNAL || code === undefined) {
    return {
      message: "Internal error; the request id in the logs has the details.",
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.INTERNAL },
    };
  }
  const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions };
}

/** A clean BAD_USER_INPUT error for a resolver to throw. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, argument } });
}

/** NOT_FOUND for a change whose subject the registry does not hold. */
export function notFound(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND, argument } });
}

/** CONFLICT for a change the registry's current state forbids; the message names the rule. */
export function conflict(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT, argument } });
}

/**
 * The HTTP status of each refusal code; the HTTP edges (admin API, GraphQL transport) answer with
 * it, so stores and services name what went wrong and never how HTTP says it. A code missing here
 * is a 400.
 */
export const REFUSAL_STATUS: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  REQUEST_ABORTED: 400,
  UNAUTHENTICATED: 401,
  LOGIN_FAILED: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  ALREADY_REGISTERED: 409,
  DEPARTMENT_EXISTS: 409,
  USER_EXISTS: 409,
  BREAKING_CHANGE: 409,
  CATALOGUE_CONFLICT: 409,
  MATTER_CONFLICT: 409,
  SDL_MISMATCH: 409,
  REGISTRY_NOT_IN_USE: 409,
  KEY_ROTATION_UNSUPPORTED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_SDL: 422,
  CATALOGUE_INVALID: 422,
  CATALOGUE_STATE: 409,
  OWNERSHIP_CONFLICT: 422,
  COMPOSITION_FAILED: 422,
  RATE_LIMITED: 429,
  SUBGRAPH_UNREACHABLE: 502,
  UNAVAILABLE: 503,
  AUDIT_UNAVAILABLE: 503,
  OVERLOADED: 503,
};

/** The HTTP status a refusal code maps to. */
export const statusOf = (code: string): number => REFUSAL_STATUS[code] ?? 400;

/**
 * A refusal a caller can act on: a stable code, a message safe to show, and structured details
 * for programs (composition errors, the fields a breaking change touches). Every layer throws
 * this one type; each edge maps the code to its own form (HTTP status, `extensions.code`).
 */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "Refusal";
  }

  /** The HTTP status of this refusal's code. */
  get status(): number {
    return statusOf(this.code);
  }
}
