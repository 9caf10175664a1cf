import type { FastifyReply, FastifyRequest } from "fastify";
import { sendError, stateOf } from "../edge";
import type { OidcRefusal } from "./oidc-provider";
import { plainLocalhost } from "./session";

/** The cookie that ties a login under way to the browser that started it: a random handle. */
export const OIDC_COOKIE = "onecert_oidc";

/**
 * The Set-Cookie value of a login under way. SameSite=Lax, not Strict: the identity provider
 * sends the browser back by a cross-site navigation, which carries Lax cookies only. Its path is
 * the callback's as the browser sees it (OIDC_REDIRECT_URL), so no other request carries it.
 */
export function flowCookie(
  request: FastifyRequest,
  callbackPath: string,
  value: string,
  maxAgeSeconds: number,
) {
  const attributes = [`${OIDC_COOKIE}=${value}`, "HttpOnly", "SameSite=Lax", `Path=${callbackPath}`];
  if (!plainLocalhost(request)) attributes.push("Secure");
  attributes.push(`Max-Age=${maxAgeSeconds}`);
  return attributes.join("; ");
}

/** The console username in claim `name` of the ID token, lowercase; null when absent or not text. */
export function usernameOf(claims: Record<string, unknown>, name: string): string | null {
  const value = claims[name];
  if (typeof value !== "string") return null;
  const username = value.trim().toLowerCase();
  return username === "" || username.length > 256 ? null : username;
}

/** An error code the identity provider sent back, as it may be shown: its own words are not repeated. */
export const idpErrorText = (raw: string): string => (/^[\w.-]{1,64}$/.test(raw) ? raw : "an unnamed error");

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escape = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]);

/** What a browser shows for a refused single sign-on: the reason, its code, and the way back. */
export function refusalPage(refusal: OidcRefusal, requestId: string): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>Single sign-on refused</title></head><body>',
    "<h1>Single sign-on refused</h1>",
    `<p>${escape(refusal.message)}</p>`,
    `<p>Code <code>${refusal.code}</code>, request <code>${escape(requestId)}</code></p>`,
    '<p><a href="/console/">Back to the console login</a></p>',
    "</body></html>",
  ].join("\n");
}

/**
 * Answers a refusal, its code in the audit record: an HTML page to a browser (the callback is a
 * navigation), the gateway's JSON error to anything else.
 */
export function refuse(request: FastifyRequest, reply: FastifyReply, refusal: OidcRefusal): FastifyReply {
  const state = stateOf(request);
  if (state.scope) state.scope.errorCode = refusal.code;
  void reply.header("cache-control", "no-store");
  if (refusal.status === 503) void reply.header("retry-after", "5");
  if (!(request.headers.accept ?? "").includes("text/html"))
    return sendError(request, reply, refusal.status, refusal.code, refusal.message);
  return reply
    .code(refusal.status)
    .header("content-security-policy", "default-src 'none'")
    .type("text/html; charset=utf-8")
    .send(refusalPage(refusal, request.id));
}
