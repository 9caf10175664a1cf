import { decodeJws, JwsError, signJws, verifyJws, type JwsHeader, type JwsKeyResolver } from "./jws";
import type { CryptoSuite, SuitePrivateKey } from "./types";

/** Why a token was refused: the JWS's own reasons, and those of its claims. */
export type JwtErrorCode =
  | JwsError["code"]
  | "JWT_WRONG_TYPE"
  | "JWT_CLAIMS_MALFORMED"
  | "JWT_EXPIRED"
  | "JWT_NOT_YET_VALID"
  | "JWT_TOO_LONG"
  | "JWT_ISSUER"
  | "JWT_AUDIENCE";

export class JwtError extends Error {
  constructor(
    readonly code: JwtErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "JwtError";
  }
}

/** The registered claims this module checks; the rest are the caller's. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string;
  jti?: string;
  /** Seconds since the epoch. */
  iat?: number;
  nbf?: number;
  exp?: number;
  [claim: string]: unknown;
}

/** Signs `claims` as a compact JWT in `suite` (alg EdDSA or SM2), with the header given. */
export function signJwt(
  suite: CryptoSuite,
  key: SuitePrivateKey,
  header: Omit<JwsHeader, "alg">,
  claims: JwtClaims,
): string {
  return signJws(suite, key, header, JSON.stringify(claims));
}

export interface VerifyJwtOptions {
  /** The `typ` header the token must carry. */
  typ: string;
  /** The `iss` it must name. Default: any. */
  issuer?: string;
  /** The `aud` it must name. Default: any. */
  audience?: string;
  /** Claims that must be present. Default exp and iat. */
  required?: readonly string[];
  /** Longest accepted exp - iat, in seconds. Default: no bound. */
  maxLifetimeSeconds?: number;
  /** Clock skew allowed on exp, nbf and iat, in seconds. Default 5. */
  leewaySeconds?: number;
  /** The clock. Default now. */
  now?: Date;
  suites?: readonly CryptoSuite[];
}

/**
 * Verifies a compact JWT: the signature (the suite named by `alg`, a key from `key`), then its
 * type, time claims, issuer and audience. Throws a JwtError naming the first reason; returns the
 * header, claims and suite.
 */
export function verifyJwt(
  token: string,
  key: JwsKeyResolver,
  options: VerifyJwtOptions,
): { header: JwsHeader; claims: JwtClaims; suite: CryptoSuite } {
  let verified: ReturnType<typeof verifyJws>;
  try {
    if (decodeJws(token).header.typ !== options.typ)
      throw new JwtError("JWT_WRONG_TYPE", `the token is not of type ${options.typ}`);
    verified = verifyJws(token, key, { suites: options.suites });
  } catch (error) {
    if (error instanceof JwsError) throw new JwtError(error.code, error.message);
    throw error;
  }
  let claims: unknown;
  try {
    claims = JSON.parse(verified.payload.toString("utf8"));
  } catch {
    throw new JwtError("JWT_CLAIMS_MALFORMED", "the claims are not JSON");
  }
  if (!claims || typeof claims !== "object" || Array.isArray(claims))
    throw new JwtError("JWT_CLAIMS_MALFORMED", "the claims are not a JSON object");
  const jwt = claims as JwtClaims;
  for (const name of options.required ?? ["exp", "iat"]) {
    if (jwt[name] === undefined) throw new JwtError("JWT_CLAIMS_MALFORMED", `claim ${name} is missing`);
  }
  for (const name of ["iat", "nbf", "exp"] as const) {
    if (jwt[name] !== undefined && !Number.isFinite(jwt[name]))
      throw new JwtError("JWT_CLAIMS_MALFORMED", `claim ${name} is not a number`);
  }
  const now = (options.now ?? new Date()).getTime() / 1000;
  const leeway = options.leewaySeconds ?? 5;
  if (jwt.exp !== undefined && now >= jwt.exp + leeway)
    throw new JwtError("JWT_EXPIRED", `expired at ${new Date(jwt.exp * 1000).toISOString()}`);
  const start = jwt.nbf ?? jwt.iat;
  if (start !== undefined && now + leeway < start)
    throw new JwtError("JWT_NOT_YET_VALID", `not valid before ${new Date(start * 1000).toISOString()}`);
  if (options.maxLifetimeSeconds !== undefined && jwt.exp !== undefined && jwt.iat !== undefined) {
    if (jwt.exp - jwt.iat > options.maxLifetimeSeconds)
      throw new JwtError(
        "JWT_TOO_LONG",
        `valid for ${jwt.exp - jwt.iat} s, at most ${options.maxLifetimeSeconds} s allowed`,
      );
  }
  if (options.issuer !== undefined && jwt.iss !== options.issuer)
    throw new JwtError("JWT_ISSUER", `issued by ${String(jwt.iss)}, not ${options.issuer}`);
  if (options.audience !== undefined && jwt.aud !== options.audience)
    throw new JwtError("JWT_AUDIENCE", `meant for ${String(jwt.aud)}, not ${options.audience}`);
  return { header: verified.header, claims: jwt, suite: verified.suite };
}
