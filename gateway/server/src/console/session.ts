import { AuthenticationError, type ConsoleCaller, type UserStore } from "@onecert/access";
import { headerValue, Refusal } from "@onecert/subgraph-kit";
import type { FastifyReply, FastifyRequest } from "fastify";
import { timingSafeEqual } from "node:crypto";

/** The console session cookie: 32 random bytes, base64url; the database keeps only its SHA-256. */
export const SESSION_COOKIE = "onecert_session";
/** The header every state-changing request of a session carries: the session's CSRF token. */
export const CSRF_HEADER = "x-csrf-token";
/** Methods that change nothing, so need no CSRF token. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** How the edge learns of console sessions (see EdgeOptions.sessions). */
export interface SessionGate {
  /**
   * The console user behind the request's session cookie; null when the request has no session
   * cookie, or carries an API key or token (`authorization`, `x-api-key`), which then wins.
   * Throws AuthenticationError (401) for a cookie whose session ended; the cookie is cleared.
   */
  authenticate(request: FastifyRequest, reply: FastifyReply): Promise<ConsoleCaller | null>;
  /** Refuses (403 CSRF_REJECTED) a state-changing request without the session's CSRF token. */
  checkCsrf(request: FastifyRequest, caller: ConsoleCaller): void;
}

/** The value of cookie `name` in the request's Cookie header; the first when sent twice. */
export function cookieOf(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    const value = part.slice(at + 1).trim();
    return value === "" ? null : value;
  }
  return null;
}

/**
 * Whether the cookie may go without `Secure`: only for a request that reached the gateway over
 * plain HTTP with a Host of localhost, 127.0.0.1 or [::1] (a developer's browser or a test).
 * Anything else, a TLS-terminating proxy in front included, gets a `Secure` cookie.
 */
export function plainLocalhost(request: FastifyRequest): boolean {
  if (request.protocol !== "http") return false;
  const host = (request.headers.host ?? "").toLowerCase();
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
  return LOCAL_HOSTS.has(name);
}

/** The Set-Cookie value of a session: HttpOnly, SameSite=Strict, Path=/, Secure (see plainLocalhost). */
export function sessionCookie(request: FastifyRequest, token: string, maxAgeSeconds: number): string {
  const attributes = [`${SESSION_COOKIE}=${token}`, "HttpOnly", "SameSite=Strict", "Path=/"];
  if (!plainLocalhost(request)) attributes.push("Secure");
  attributes.push(`Max-Age=${maxAgeSeconds}`);
  return attributes.join("; ");
}

/** The Set-Cookie value that makes the browser forget the session cookie. */
export const clearedCookie = (request: FastifyRequest) => sessionCookie(request, "", 0);

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Console sessions from the user store, read from the database on every request. */
export function sessionGate(users: Pick<UserStore, "session">): SessionGate {
  return {
    async authenticate(request, reply) {
      if (headerValue(request.headers, "authorization") || headerValue(request.headers, "x-api-key"))
        return null;
      const token = cookieOf(request, SESSION_COOKIE);
      if (!token) return null;
      const caller = await users.session(token);
      if (caller) return caller;
      void reply.header("set-cookie", clearedCookie(request));
      throw new AuthenticationError("the console session has ended; log in again");
    },
    checkCsrf(request, caller) {
      if (SAFE_METHODS.has(request.method)) return;
      if (sameToken(headerValue(request.headers, CSRF_HEADER), caller.session.csrfToken)) return;
      throw new Refusal(
        "CSRF_REJECTED",
        `a ${request.method} of a console session must carry the session's ${CSRF_HEADER} header`,
      );
    },
  };
}
