import { SESSION_ABSOLUTE_MS, type LoginFailure, type UserStore } from "@onecert/access";
import { HEADERS, migrate, type Db, type Logger } from "@onecert/subgraph-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { timingSafeEqual } from "node:crypto";
import { stateOf } from "../edge";
import type { RateCounter } from "../infra";
import { flowCookie, idpErrorText, OIDC_COOKIE, refuse, usernameOf } from "./oidc-answers";
import type { OidcConfig } from "./oidc-config";
import { OIDC_LOGIN_TTL_MS, OIDC_SCHEMA, oidcMigrations, pendingLogins } from "./oidc-pending";
import { identityProvider, OidcRefusal } from "./oidc-provider";
import { loginAllowed } from "./routes";
import { cookieOf, SESSION_COOKIE, sessionCookie } from "./session";

export interface OidcRoutesOptions {
  /** Single sign-on settings; undefined (OIDC_ISSUER unset) answers that it is off. */
  oidc: OidcConfig | undefined;
  users: UserStore;
  /** The login budget per address, shared with the password login. */
  attempts: RateCounter;
  /** Where logins under way are kept, so the callback may reach any replica. */
  db: Db;
  logger: Logger;
}

const BASE = "/console/api/oidc";
const LOGIN = `${BASE}/login`;

function userRefusal(reason: LoginFailure, username: string): OidcRefusal {
  if (reason === "unknown-user")
    return new OidcRefusal(
      "OIDC_UNKNOWN_USER",
      `${username} is not a console user; an administrator must create the account first`,
    );
  if (reason === "client-revoked")
    return new OidcRefusal("OIDC_CLIENT_REVOKED", `the client of console user ${username} is revoked`);
  return new OidcRefusal("OIDC_USER_DISABLED", `console user ${username} is disabled`);
}

function sameText(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request's query string as the identity provider wrote it. */
const queryOf = (request: FastifyRequest) => new URLSearchParams((request.raw.url ?? "").split("?")[1] ?? "");

/**
 * Console single sign-on by OpenID Connect (authorization code with PKCE): GET /console/api/oidc
 * (whether it is on), /login (to the identity provider) and /callback (back, into a session like
 * the password login's). All three need no credential and are audited; every refusal names its
 * code (OIDC_REFUSALS). Without configuration they answer that single sign-on is off.
 */
export async function registerOidcRoutes(app: FastifyInstance, options: OidcRoutesOptions): Promise<void> {
  const { oidc, users, attempts } = options;
  const route = { config: { anonymous: true }, schema: { hide: true } } as const;
  const disabled = new OidcRefusal("OIDC_DISABLED", "single sign-on is not configured on this gateway");
  // Whatever x-operator-id says, these records name only the person the identity provider did.
  const forgetOperator = (request: FastifyRequest) => delete request.raw.headers[HEADERS.operator];

  app.get(BASE, route, async (_request, reply) =>
    reply
      .header("cache-control", "no-store")
      .send({ enabled: oidc !== undefined, loginUrl: oidc ? LOGIN : null }),
  );
  if (!oidc) {
    for (const path of [LOGIN, `${BASE}/callback`])
      app.get(path, route, async (request, reply) => {
        forgetOperator(request);
        return refuse(request, reply, disabled);
      });
    return;
  }

  await migrate(options.db, OIDC_SCHEMA, oidcMigrations);
  const logins = pendingLogins(options.db);
  const provider = identityProvider(oidc, options.logger);
  provider.warmUp();
  const callbackPath = new URL(oidc.redirectUrl).pathname;

  app.get(LOGIN, route, async (request, reply) => {
    forgetOperator(request);
    if (!(await loginAllowed(request, reply, attempts))) return reply;
    const { handle, login } = await logins.begin();
    let target: URL;
    try {
      target = await provider.authorizationUrl(login);
    } catch (error) {
      if (error instanceof OidcRefusal) return refuse(request, reply, error);
      throw error;
    }
    return reply
      .header("set-cookie", flowCookie(request, callbackPath, handle, OIDC_LOGIN_TTL_MS / 1000))
      .header("cache-control", "no-store")
      .redirect(target.href, 303);
  });

  app.get(`${BASE}/callback`, route, async (request, reply) => {
    forgetOperator(request);
    if (!(await loginAllowed(request, reply, attempts))) return reply;
    const query = queryOf(request);
    const handle = cookieOf(request, OIDC_COOKIE);
    // The login serves this one callback, whatever its outcome.
    const pending = handle ? await logins.take(handle) : null;
    void reply.header("set-cookie", flowCookie(request, callbackPath, "", 0));
    const idpError = query.get("error");
    if (idpError !== null)
      return refuse(
        request,
        reply,
        new OidcRefusal("OIDC_IDP_ERROR", `the identity provider answered ${idpErrorText(idpError)}`),
      );
    if (pending === "expired")
      return refuse(
        request,
        reply,
        new OidcRefusal("OIDC_LOGIN_EXPIRED", "the login took too long; log in again"),
      );
    if (pending === null || !sameText(query.get("state"), pending.state))
      return refuse(
        request,
        reply,
        new OidcRefusal("OIDC_STATE_MISMATCH", "this is not the login this browser started; log in again"),
      );
    if (!query.get("code"))
      return refuse(request, reply, new OidcRefusal("OIDC_CODE_REJECTED", "the callback carries no code"));
    let username: string | null;
    try {
      username = usernameOf(await provider.claims(query, pending), oidc.usernameClaim);
    } catch (error) {
      if (!(error instanceof OidcRefusal)) throw error;
      // A wrong secret or key at either end looks like this too: the operators should see it.
      options.logger.warn(
        { requestId: request.id, code: error.code, reason: error.message },
        "single sign-on refused",
      );
      return refuse(request, reply, error);
    }
    if (!username)
      return refuse(
        request,
        reply,
        new OidcRefusal(
          "OIDC_CLAIM_MISSING",
          `the ID token has no username in its ${oidc.usernameClaim} claim`,
        ),
      );
    request.raw.headers[HEADERS.operator] = username.slice(0, 64);
    const result = await users.loginVerified(username);
    if (!result.ok) return refuse(request, reply, userRefusal(result.reason, username));
    // As at the password login: a session the browser still holds ends, one login, one session.
    const previous = cookieOf(request, SESSION_COOKIE);
    if (previous) await users.endSession(previous);
    const started = await users.startSession(result.user.username);
    const state = stateOf(request);
    if (state.scope) state.scope.client = started.caller.client;
    // The console's page loads after this cross-site redirect chain without the Strict cookie,
    // but its own requests (GET /console/api/session) carry it.
    return reply
      .header("set-cookie", sessionCookie(request, started.token, SESSION_ABSOLUTE_MS / 1000))
      .header("cache-control", "no-store")
      .redirect("/console/", 303);
  });
}
