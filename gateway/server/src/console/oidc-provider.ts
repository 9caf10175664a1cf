import type { Logger } from "@onecert/subgraph-kit";
import * as oidc from "openid-client";
import type { OidcConfig } from "./oidc-config";
import type { PendingLogin } from "./oidc-pending";

/**
 * Every way a single sign-on is refused, with its HTTP status: the code is the answer's and the
 * audit record's, so each refusal can be told from the others in the trail.
 */
export const OIDC_REFUSALS = {
  /** No OIDC_ISSUER: single sign-on is off. */
  OIDC_DISABLED: 404,
  /** The identity provider did not answer (discovery, keys or token endpoint); try again. */
  OIDC_UNAVAILABLE: 503,
  /** The identity provider sent the person back with an error (`?error=access_denied`, ...). */
  OIDC_IDP_ERROR: 401,
  /** The callback's state is not that of a login this browser started (no cookie, used, forged). */
  OIDC_STATE_MISMATCH: 401,
  /** The person took longer than OIDC_LOGIN_TTL_MS at the identity provider. */
  OIDC_LOGIN_EXPIRED: 401,
  /** The token endpoint refused the code (used before, wrong PKCE verifier, wrong client). */
  OIDC_CODE_REJECTED: 401,
  /** The ID token failed a check: signature, issuer, audience, nonce, expiry. */
  OIDC_TOKEN_INVALID: 401,
  /** The ID token has no username in OIDC_USERNAME_CLAIM. */
  OIDC_CLAIM_MISSING: 401,
  /** No console user has the username: accounts are created by an admin, never at first login. */
  OIDC_UNKNOWN_USER: 403,
  OIDC_USER_DISABLED: 403,
  /** The user's client is revoked. */
  OIDC_CLIENT_REVOKED: 403,
} as const;

export type OidcRefusalCode = keyof typeof OIDC_REFUSALS;

export class OidcRefusal extends Error {
  readonly status: number;
  constructor(
    readonly code: OidcRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "OidcRefusal";
    this.status = OIDC_REFUSALS[code];
  }
}

/** How the gateway authenticates at the token endpoint: what the provider offers, with or without a secret. */
export function clientAuthMethod(
  supported: readonly string[] | undefined,
  hasSecret: boolean,
): "client_secret_basic" | "client_secret_post" | "none" {
  if (!hasSecret) return "none";
  // Without a list the provider supports the default of OpenID Connect Discovery: basic.
  if (!supported || supported.includes("client_secret_basic")) return "client_secret_basic";
  return supported.includes("client_secret_post") ? "client_secret_post" : "client_secret_basic";
}

/** Failures of the provider's side that a retry may cure, as openid-client reports them. */
const UNAVAILABLE_CODES = new Set([
  "OAUTH_TIMEOUT",
  "OAUTH_ABORT",
  "OAUTH_RESPONSE_IS_NOT_CONFORM",
  "OAUTH_RESPONSE_IS_NOT_JSON",
]);

/** The refusal an openid-client failure amounts to; null for anything else (a fault of the gateway's own). */
export function refusalOf(error: unknown): OidcRefusal | null {
  if (error instanceof OidcRefusal) return error;
  if (error instanceof oidc.ResponseBodyError)
    return new OidcRefusal("OIDC_CODE_REJECTED", `the identity provider refused the code (${error.error})`);
  if (error instanceof oidc.AuthorizationResponseError)
    return new OidcRefusal("OIDC_IDP_ERROR", `the identity provider answered ${error.error}`);
  // undici's network failures (refused, reset, unknown host) are this TypeError.
  if (error instanceof TypeError && error.message === "fetch failed")
    return new OidcRefusal("OIDC_UNAVAILABLE", "the identity provider cannot be reached; try again shortly");
  if (error instanceof oidc.ClientError) {
    if (error.code && UNAVAILABLE_CODES.has(error.code))
      return new OidcRefusal("OIDC_UNAVAILABLE", "the identity provider did not answer; try again shortly");
    // The cause names the check that failed ('unexpected ID Token "nonce" claim value').
    const why = error.cause instanceof Error ? error.cause.message : error.message;
    return new OidcRefusal("OIDC_TOKEN_INVALID", `the ID token is not valid: ${why}`);
  }
  return null;
}

export interface IdentityProvider {
  /** Discovers the provider in the background, so the first login need not wait for it. */
  warmUp(): void;
  /** Where the browser goes to log in; OIDC_UNAVAILABLE when the provider cannot be discovered. */
  authorizationUrl(login: PendingLogin): Promise<URL>;
  /**
   * Exchanges the callback's code (with the PKCE verifier) and checks the ID token against the
   * login (signature, issuer, audience, nonce, expiry); its validated claims, or an OidcRefusal.
   */
  claims(callback: URLSearchParams, login: PendingLogin): Promise<Record<string, unknown>>;
}

/** Per request to the provider, in seconds (openid-client's unit). */
const TIMEOUT_SECONDS = 5;

/** The identity provider behind OIDC_ISSUER, discovered lazily: down at start, it is asked again at the next login. */
export function identityProvider(config: OidcConfig, logger: Logger): IdentityProvider {
  const secret = config.clientSecret;
  const auth: oidc.ClientAuth = (as, client, body, headers) => {
    const method = clientAuthMethod(as.token_endpoint_auth_methods_supported, secret !== undefined);
    const chosen =
      method === "client_secret_basic"
        ? oidc.ClientSecretBasic(secret)
        : method === "client_secret_post"
          ? oidc.ClientSecretPost(secret)
          : oidc.None();
    chosen(as, client, body, headers);
  };
  const execute = [oidc.enableNonRepudiationChecks];
  // Plain http is accepted by the configuration for loopback providers only.
  if (config.issuer.startsWith("http:")) execute.push(oidc.allowInsecureRequests);
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(new URL(config.issuer), config.clientId, { client_secret: secret }, auth, {
        execute,
        timeout: TIMEOUT_SECONDS,
      })
      .catch((error: unknown) => {
        // Forgotten, so the next login asks again.
        discovered = undefined;
        logger.warn(
          { err: error, issuer: config.issuer },
          "single sign-on: the identity provider cannot be discovered",
        );
        throw new OidcRefusal(
          "OIDC_UNAVAILABLE",
          "the identity provider cannot be reached; try again shortly",
        );
      });
    return discovered;
  };
  return {
    warmUp() {
      configuration().catch(() => undefined);
    },
    async authorizationUrl(login) {
      const found = await configuration();
      return oidc.buildAuthorizationUrl(found, {
        redirect_uri: config.redirectUrl,
        response_type: "code",
        scope: config.scopes.join(" "),
        state: login.state,
        nonce: login.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(login.codeVerifier),
        code_challenge_method: "S256",
      });
    },
    async claims(callback, login) {
      const found = await configuration();
      // The URL the provider redirected to, as registered: behind a proxy the request's own differs.
      const current = new URL(config.redirectUrl);
      for (const [name, value] of callback) current.searchParams.append(name, value);
      try {
        const tokens = await oidc.authorizationCodeGrant(found, current, {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new OidcRefusal("OIDC_TOKEN_INVALID", "the token endpoint sent no ID token");
        return claims;
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        throw refusal;
      }
    },
  };
}
