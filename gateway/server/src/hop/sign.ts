import { randomBytes } from "node:crypto";
import {
  bodyHash,
  HOP_MAX_LIFETIME_SECONDS,
  HOP_TYPE,
  signJwt,
  type HopClaims,
  type HopClient,
  type Keyring,
  type SigningKey,
} from "@onecert/subgraph-kit";

/** Who asks and why, as the assertion states it to a subgraph. */
export interface HopCaller {
  requestId: string;
  client: HopClient | null;
  operatorId: string | null;
  matterCode: string | null;
  caseNumber: string | null;
}

export interface HopSignerOptions {
  /** The gateway's hop keys (keyring purpose "hop"). */
  keyring: Keyring;
  /** `iss` of every assertion. Env HOP_ISSUER, default "onecert-gateway". */
  issuer: string;
  /** Validity of an assertion in seconds, at most 60. Env HOP_TTL_SECONDS, default 30. */
  ttlSeconds: number;
  /** How long the signing key is kept in memory before the keyring is asked again, in ms. Default 30000. */
  keyRefreshMs?: number;
}

export interface HopSigner {
  /** The assertion for one call to `subgraph` with exactly `body`: a compact JWT and its id. */
  assert(subgraph: string, body: string, caller: HopCaller): Promise<{ token: string; id: string }>;
}

/**
 * Signs every request the gateway sends a subgraph: issuer, audience (the subgraph), a unique
 * id, a short validity, the request id, the calling client and its purpose, and the digest of
 * the exact body, so an assertion can neither be replayed nor moved to another query.
 */
export function createHopSigner(options: HopSignerOptions): HopSigner {
  if (options.ttlSeconds < 1 || options.ttlSeconds > HOP_MAX_LIFETIME_SECONDS)
    throw new Error(`a hop assertion lives 1 to ${HOP_MAX_LIFETIME_SECONDS} s, not ${options.ttlSeconds}`);
  const refreshMs = options.keyRefreshMs ?? 30_000;
  let current: { key: SigningKey; until: number } | null = null;
  let loading: Promise<SigningKey> | null = null;
  const signingKey = async (): Promise<SigningKey> => {
    if (current && current.until > Date.now()) return current.key;
    loading ??= options.keyring
      .signingKey()
      .then((key) => {
        current = { key, until: Date.now() + refreshMs };
        return key;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  };
  return {
    async assert(subgraph, body, caller) {
      const key = await signingKey();
      const iat = Math.floor(Date.now() / 1000);
      const id = randomBytes(16).toString("base64url");
      const claims: HopClaims & Record<string, unknown> = {
        rid: caller.requestId,
        cli: caller.client,
        op: caller.operatorId,
        mat: caller.matterCode,
        cas: caller.caseNumber,
        bh: bodyHash(key.suite, body),
      };
      const token = signJwt(
        key.suite,
        key.key,
        { kid: key.kid, typ: HOP_TYPE },
        {
          iss: options.issuer,
          aud: subgraph,
          jti: id,
          iat,
          exp: iat + options.ttlSeconds,
          ...claims,
        },
      );
      return { token, id };
    },
  };
}
