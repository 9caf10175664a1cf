import type { IncomingHttpHeaders } from "node:http";
import { errors } from "jose";
import type { AuthConfig } from "./jwt";
import type { AuthenticatedClient } from "../types";
import { createJwtVerifier } from "./jwt";
import { API_KEY_PREFIX } from "./keys";
import type { IdentityStore } from "./store";

/** A refused credential; the message is safe to show the caller (HTTP 401, code UNAUTHENTICATED). */
export class AuthenticationError extends Error {
  readonly code = "UNAUTHENTICATED";
}

export interface AuthenticatorOptions {
  store: IdentityStore;
  auth: AuthConfig;
  /** The clock for token expiry; default the system clock. */
  now?: () => Date;
}

export interface Authenticator {
  /** The calling system behind the request's credential; throws AuthenticationError otherwise. */
  authenticate(headers: IncomingHttpHeaders): Promise<AuthenticatedClient>;
}

type Credential = { kind: "api-key" | "jwt"; value: string };

/** `Authorization: Bearer` wins over `x-api-key` when both are sent. */
function credentialOf(headers: IncomingHttpHeaders): Credential {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new AuthenticationError("unsupported authorization scheme (use Bearer)");
    return { kind: match[1].startsWith(API_KEY_PREFIX) ? "api-key" : "jwt", value: match[1] };
  }
  const header = headers["x-api-key"];
  const apiKey = (Array.isArray(header) ? header.join(",") : header)?.trim();
  if (apiKey) return { kind: "api-key", value: apiKey };
  throw new AuthenticationError("missing credentials");
}

/**
 * Authenticates API keys (`Authorization: Bearer oc_...` or `x-api-key`) through the identity
 * store and JWTs against the JWKS of `auth`. A JWT's `sub` names the client; its role and
 * department come from the store, never from the token. Lookups are cached by the store for at
 * most its cacheTtlMs (default 5 s), so a revocation takes effect within that window.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { store } = options;
  const verifyJwt = createJwtVerifier(options.auth, options.now);

  async function fromJwt(token: string): Promise<AuthenticatedClient> {
    if (!verifyJwt) throw new AuthenticationError("invalid token: JWT authentication is not configured");
    let claims: Awaited<ReturnType<typeof verifyJwt>>;
    try {
      claims = await verifyJwt(token);
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new AuthenticationError(`invalid token: ${error.message}`);
      throw error;
    }
    const client = await store.cachedClient(claims.sub);
    if (!client) throw new AuthenticationError("invalid token: unknown client");
    if (client.revokedAt) throw new AuthenticationError("client revoked");
    return {
      id: client.id,
      name: client.name,
      role: client.role,
      department: client.department,
      safelist: client.safelist,
      rateLimitPerMinute: client.rateLimitPerMinute,
      via: "jwt",
      credentialId: typeof claims.jti === "string" ? claims.jti : null,
    };
  }

  return {
    async authenticate(headers) {
      const credential = credentialOf(headers);
      if (credential.kind === "jwt") return fromJwt(credential.value);
      const client = await store.verifyApiKey(credential.value);
      if (!client) throw new AuthenticationError("invalid or expired API key");
      return client;
    },
  };
}
