// The web console's backend: its users' sessions (cookie, CSRF token) at the edge and its API.
export { registerConsoleRoutes, LOGIN_ATTEMPTS_PER_MINUTE, LOGIN_FAILURE_CODES } from "./routes";
export { registerOidcRoutes, type OidcRoutesOptions } from "./oidc";
export { OIDC_REFUSALS, type OidcRefusalCode } from "./oidc-provider";
export type { OidcConfig } from "./oidc-config";
export { registerConsoleStatic, consoleDistDir, CONSOLE_CSP, type ConsoleStaticOptions } from "./static";
export {
  sessionGate,
  sessionCookie,
  plainLocalhost,
  cookieOf,
  CSRF_HEADER,
  SESSION_COOKIE,
  type SessionGate,
} from "./session";
