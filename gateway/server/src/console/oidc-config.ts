import { env as value, setting, withDefault, type SettingsValues } from "@onecert/subgraph-kit";

/** Single sign-on for the web console; present only when OIDC_ISSUER is set. */
export interface OidcConfig {
  /** The identity provider's issuer identifier; its discovery document is under it. Env OIDC_ISSUER, default unset (off). */
  issuer: string;
  /** The gateway's client id at the identity provider. Env OIDC_CLIENT_ID, required with the issuer. */
  clientId: string;
  /** The client's secret; unset, a public client (PKCE alone). Env OIDC_CLIENT_SECRET, default unset. */
  clientSecret?: string;
  /**
   * The gateway's `/console/api/oidc/callback` as the browser reaches it (through any proxy),
   * registered at the identity provider. Env OIDC_REDIRECT_URL, required with the issuer.
   */
  redirectUrl: string;
  /** ID token claim holding the console username. Env OIDC_USERNAME_CLAIM, default "preferred_username". */
  usernameClaim: string;
  /** Scopes asked for, `openid` among them. Env OIDC_SCOPES, default "openid profile". */
  scopes: string[];
}

const CLAIM = /^[A-Za-z0-9_.:/-]{1,128}$/;

/** The single sign-on variables, part of the gateway's settings (so documented with them). */
export const OIDC_SETTINGS = {
  OIDC_ISSUER: setting(
    value.text(),
    "issuer of the identity provider for console single sign-on",
    "unset: off",
  ),
  OIDC_CLIENT_ID: setting(value.text(), "the gateway's client id at the identity provider", "unset"),
  OIDC_CLIENT_SECRET: setting(value.text(), "the client's secret", "unset: a public client with PKCE"),
  OIDC_REDIRECT_URL: setting(
    value.text(),
    "the gateway's `/console/api/oidc/callback` as the IdP sees it",
    "unset",
  ),
  OIDC_USERNAME_CLAIM: withDefault(
    value.matching(CLAIM, "a claim name"),
    "preferred_username",
    "ID token claim holding the console username",
  ),
  OIDC_SCOPES: withDefault(value.text(), "openid profile", "scopes asked for, space-separated"),
};

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether `raw` may name an endpoint of the login: https, or plain http to this machine only
 * (a developer's identity provider, a test's). Anything else would send codes and cookies in clear.
 */
function secureUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.search || url.hash || url.username || url.password) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
}

const HTTPS = "must be an https URL without query or fragment (http only for localhost)";

/** The single sign-on configuration of the read settings; undefined (off) without OIDC_ISSUER. */
export function oidcConfigOf(
  read: SettingsValues<typeof OIDC_SETTINGS>,
  problems: string[],
): OidcConfig | undefined {
  const issuer = read.OIDC_ISSUER?.trim();
  if (!issuer) return undefined;
  if (!secureUrl(issuer)) problems.push(`OIDC_ISSUER ${HTTPS}`);
  const clientId = read.OIDC_CLIENT_ID?.trim();
  if (!clientId) problems.push("OIDC_CLIENT_ID is required when OIDC_ISSUER is set");
  const redirectUrl = read.OIDC_REDIRECT_URL?.trim();
  if (!redirectUrl)
    problems.push(
      "OIDC_REDIRECT_URL is required when OIDC_ISSUER is set (the gateway's /console/api/oidc/callback)",
    );
  else if (!secureUrl(redirectUrl)) problems.push(`OIDC_REDIRECT_URL ${HTTPS}`);
  const scopes = [...new Set(read.OIDC_SCOPES.split(/[\s,]+/).filter((scope) => scope !== ""))];
  if (!scopes.includes("openid")) problems.push('OIDC_SCOPES must include "openid"');
  return {
    issuer,
    clientId: clientId ?? "",
    clientSecret: read.OIDC_CLIENT_SECRET || undefined,
    redirectUrl: redirectUrl ?? "",
    usernameClaim: read.OIDC_USERNAME_CLAIM,
    scopes,
  };
}
