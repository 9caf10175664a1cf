import { readFileSync } from "node:fs";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";

/** How JWT clients are verified (AUTH_*). */
export interface AuthConfig {
  /** JWKS endpoint for JWT clients. Env AUTH_JWKS_URL. */
  jwksUrl?: string;
  /** A local JWKS file (JSON) for JWT clients. Env AUTH_JWKS_FILE. */
  jwksFile?: string;
  /** Required `iss` of JWTs. Env AUTH_JWT_ISSUER. */
  issuer?: string;
  /** Required `aud` of JWTs. Env AUTH_JWT_AUDIENCE, default "onecert". */
  audience: string;
}

/** Signature algorithms accepted: asymmetric only, so holding the JWKS never lets anyone mint tokens. */
const ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];

/** Verifies a compact JWT and returns its claims; throws a jose error saying why not. */
export type JwtVerifier = (token: string) => Promise<JWTPayload & { sub: string; exp: number }>;

/** Reads a JWKS file (`{"keys": [...]}`); a broken file fails the gateway start, not every request. */
function readJwksFile(path: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`JWKS file ${path}: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || !Array.isArray((parsed as { keys?: unknown }).keys)) {
    throw new Error(`JWKS file ${path}: expected a JSON object {"keys": [...]}`);
  }
  return createLocalJWKSet(parsed as { keys: [] });
}

/** Local keys first, then the remote set: a key rotated at the issuer is still found there. */
function keySource(auth: AuthConfig): JWTVerifyGetKey | null {
  const local = auth.jwksFile ? readJwksFile(auth.jwksFile) : null;
  const remote = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : null;
  if (local && remote) {
    return async (header, token) => {
      try {
        return await local(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey) return remote(header, token);
        throw error;
      }
    };
  }
  return local ?? remote;
}

/**
 * A verifier for the JWKS configured in `auth` (file and/or URL), requiring `aud`, `iss` when
 * configured, `exp` and `sub`; null when no JWKS is configured. The file is read once, here.
 */
export function createJwtVerifier(auth: AuthConfig, now: () => Date = () => new Date()): JwtVerifier | null {
  const keys = keySource(auth);
  if (!keys) return null;
  return async (token) => {
    const { payload } = await jwtVerify(token, keys, {
      audience: auth.audience,
      issuer: auth.issuer,
      algorithms: ALGORITHMS,
      requiredClaims: ["exp", "sub"],
      currentDate: now(),
    });
    if (typeof payload.sub !== "string") {
      throw new errors.JWTClaimValidationFailed(
        '"sub" claim must be a string',
        payload,
        "sub",
        "check_failed",
      );
    }
    return payload as JWTPayload & { sub: string; exp: number };
  };
}
