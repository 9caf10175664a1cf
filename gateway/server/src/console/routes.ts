import {
  MAX_PASSWORD_LENGTH,
  SESSION_ABSOLUTE_MS,
  type ConsoleCaller,
  type LoginFailure,
  type UserStore,
} from "@onecert/access";
import { HEADERS } from "@onecert/subgraph-kit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { sendError, stateOf } from "../edge";
import type { RateCounter } from "../infra";
import { clearedCookie, cookieOf, SESSION_COOKIE, sessionCookie } from "./session";

/**
 * What the audit record of a failed login names as its error code; the answer is always
 * LOGIN_FAILED "wrong username or password", so no one learns which usernames exist.
 */
export const LOGIN_FAILURE_CODES: Readonly<Record<LoginFailure, string>> = {
  "unknown-user": "LOGIN_UNKNOWN_USER",
  "wrong-password": "LOGIN_WRONG_PASSWORD",
  "locked-out": "LOGIN_LOCKED_OUT",
  locked: "LOGIN_LOCKED",
  disabled: "LOGIN_DISABLED",
  "client-revoked": "LOGIN_CLIENT_REVOKED",
};

const loginBody = z.strictObject({
  username: z.string().min(1).max(256),
  password: z
    .string()
    .min(1)
    .max(MAX_PASSWORD_LENGTH * 4),
});

/**
 * Login attempts one network address may make per minute, over all usernames and replicas (the
 * rate counter is Redis when configured): the per-account lockout stops guessing one password,
 * this stops one address from guessing many or from locking every account it can name.
 */
export const LOGIN_ATTEMPTS_PER_MINUTE = 60;

/**
 * Counts a login attempt of the request's address (password or single sign-on, one budget);
 * past LOGIN_ATTEMPTS_PER_MINUTE answers 429 RATE_LIMITED with `retry-after` and returns false.
 */
export async function loginAllowed(
  request: FastifyRequest,
  reply: FastifyReply,
  attempts: RateCounter,
): Promise<boolean> {
  const hit = await attempts.hit(`console-login:${request.ip}`, 60_000);
  if (hit.count <= LOGIN_ATTEMPTS_PER_MINUTE) return true;
  void reply.header("retry-after", String(Math.max(1, Math.ceil(hit.resetInMs / 1000))));
  void sendError(request, reply, 429, "RATE_LIMITED", "too many login attempts; try again shortly");
  return false;
}

const answer = (caller: ConsoleCaller) => ({ user: caller.user, csrfToken: caller.session.csrfToken });

function noSession(request: FastifyRequest, reply: FastifyReply) {
  return sendError(
    request,
    reply,
    401,
    "UNAUTHENTICATED",
    "no console session: log in with POST /console/api/login",
  );
}

/**
 * The console's session API: POST /console/api/login (audited, no credential needed), POST
 * /console/api/logout and GET /console/api/session (the session cookie; the edge checks it and
 * the CSRF token before these run).
 */
export function registerConsoleRoutes(app: FastifyInstance, users: UserStore, attempts: RateCounter): void {
  const hide = { hide: true } as const;
  app.post(
    "/console/api/login",
    { config: { anonymous: true }, bodyLimit: 16 * 1024, schema: { ...hide, body: loginBody } },
    async (request, reply) => {
      const { username, password } = request.body as z.output<typeof loginBody>;
      const state = stateOf(request);
      if (!(await loginAllowed(request, reply, attempts))) return reply;
      // Who tried is the record's operator; the password is in no record and no log.
      request.raw.headers[HEADERS.operator] = username.trim().toLowerCase().slice(0, 64);
      const result = await users.login(username, password);
      if (!result.ok) {
        if (state.scope) state.scope.errorCode = LOGIN_FAILURE_CODES[result.reason];
        return sendError(request, reply, 401, "LOGIN_FAILED", "wrong username or password");
      }
      // A session the browser still holds ends: one login, one session.
      const previous = cookieOf(request, SESSION_COOKIE);
      if (previous) await users.endSession(previous);
      const started = await users.startSession(result.user.username);
      if (state.scope) state.scope.client = started.caller.client;
      return reply
        .header("set-cookie", sessionCookie(request, started.token, SESSION_ABSOLUTE_MS / 1000))
        .header("cache-control", "no-store")
        .send(answer(started.caller));
    },
  );
  app.post("/console/api/logout", { schema: hide }, async (request, reply) => {
    const token = cookieOf(request, SESSION_COOKIE);
    if (!stateOf(request).session || !token) return noSession(request, reply);
    await users.endSession(token);
    return reply.header("set-cookie", clearedCookie(request)).send({ loggedOut: true });
  });
  app.get("/console/api/session", { schema: hide }, async (request, reply) => {
    const session = stateOf(request).session;
    if (!session) return noSession(request, reply);
    return reply.header("cache-control", "no-store").send(answer(session));
  });
}
