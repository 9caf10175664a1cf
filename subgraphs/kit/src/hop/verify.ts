import { decodeJws, JwsError, JwtError, suiteForJwsAlg, verifyJwt, type SuitePublicKey } from "../crypto";
import { bodyHash, HOP_MAX_LIFETIME_SECONDS, HOP_TYPE, type HopClaims, type HopContext } from "./claims";
import type { HopKeySource } from "./keys";
import type { ReplayGuard } from "./replay";

/** Why a request's assertion was refused: its HTTP status is 401, its code one of these. */
export type HopRefusalCode =
  | "HOP_ASSERTION_MISSING"
  | "HOP_ASSERTION_INVALID"
  | "HOP_ASSERTION_EXPIRED"
  | "HOP_ASSERTION_NOT_YET_VALID"
  | "HOP_ASSERTION_AUDIENCE"
  | "HOP_ASSERTION_UNKNOWN_KEY"
  | "HOP_ASSERTION_REPLAYED"
  | "HOP_BODY_MISMATCH";

export class HopRefusal extends Error {
  readonly status = 401;
  constructor(
    readonly code: HopRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "HopRefusal";
  }
}

export interface HopVerifierOptions {
  /** This subgraph's name: the audience every assertion it accepts must name. */
  audience: string;
  /** The gateway's public keys. */
  keys: HopKeySource;
  /** Where assertion ids are remembered until they expire. */
  replay: ReplayGuard;
  /** The issuer assertions must name. Default "onecert-gateway". */
  issuer?: string;
  /** Clock skew tolerated, in seconds. Default 5. */
  leewaySeconds?: number;
  now?: () => Date;
}

export interface HopVerifier {
  /** Verifies the assertion of a request before anything of it runs; throws a HopRefusal. */
  verify(token: string | null | undefined, body: string): Promise<HopContext>;
}

const JWT_CODES: Partial<Record<JwtError["code"], HopRefusalCode>> = {
  JWT_EXPIRED: "HOP_ASSERTION_EXPIRED",
  JWT_NOT_YET_VALID: "HOP_ASSERTION_NOT_YET_VALID",
  JWT_AUDIENCE: "HOP_ASSERTION_AUDIENCE",
  JWS_UNKNOWN_KEY: "HOP_ASSERTION_UNKNOWN_KEY",
};

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/**
 * Checks, in this order: a token is there, it is a well-formed hop JWT of a known gateway key,
 * its signature, type, issuer, audience and validity (at most 60 s, not expired, not early),
 * the digest of the exact body received, and that its id was not seen before.
 */
export function createHopVerifier(options: HopVerifierOptions): HopVerifier {
  const issuer = options.issuer ?? "onecert-gateway";
  return {
    async verify(token, body) {
      if (!token)
        throw new HopRefusal(
          "HOP_ASSERTION_MISSING",
          "no gateway assertion: only the gateway may call this service",
        );
      let key: SuitePublicKey | undefined;
      try {
        const kid = decodeJws(token).header.kid;
        key = typeof kid === "string" ? await options.keys.key(kid) : undefined;
      } catch (error) {
        if (error instanceof JwsError) throw new HopRefusal("HOP_ASSERTION_INVALID", error.message);
        throw error;
      }
      let verified: ReturnType<typeof verifyJwt>;
      try {
        verified = verifyJwt(token, () => key, {
          typ: HOP_TYPE,
          issuer,
          audience: options.audience,
          required: ["exp", "iat", "jti", "aud", "iss"],
          maxLifetimeSeconds: HOP_MAX_LIFETIME_SECONDS,
          leewaySeconds: options.leewaySeconds,
          now: options.now?.(),
        });
      } catch (error) {
        if (!(error instanceof JwtError)) throw error;
        throw new HopRefusal(
          JWT_CODES[error.code] ?? "HOP_ASSERTION_INVALID",
          `gateway assertion refused: ${error.message}`,
        );
      }
      const claims = verified.claims as unknown as Partial<HopClaims> & {
        jti: string;
        exp: number;
        iss: string;
      };
      const suite = suiteForJwsAlg(verified.header.alg)!;
      if (claims.bh !== bodyHash(suite, body))
        throw new HopRefusal("HOP_BODY_MISMATCH", "the body is not the one the gateway signed");
      const expiresAt = new Date(claims.exp * 1000);
      if (!(await options.replay.first(claims.jti, expiresAt)))
        throw new HopRefusal("HOP_ASSERTION_REPLAYED", `assertion ${claims.jti} was used before`);
      const client = claims.cli && typeof claims.cli === "object" ? claims.cli : null;
      return {
        id: claims.jti,
        issuer: claims.iss,
        requestId: text(claims.rid) ?? "",
        client,
        operatorId: text(claims.op),
        matterCode: text(claims.mat),
        caseNumber: text(claims.cas),
        expiresAt,
        token,
      };
    },
  };
}
