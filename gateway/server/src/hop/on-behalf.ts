import type { AuthenticatedClient, IdentityStore, RequestPurpose } from "@onecert/access";
import { AuthenticationError } from "@onecert/access";
import {
  decodeJws,
  HOP_TYPE,
  JwtError,
  publicKeyFromJwk,
  verifyJwt,
  type HopClaims,
  type Keyring,
  type SuitePublicKey,
} from "@onecert/subgraph-kit";

/** A request a trusted service makes on behalf of the request the gateway sent it. */
export interface OnBehalf {
  /** The service that called (its own credential). */
  service: AuthenticatedClient;
  /** The assertion's id: the request it serves. */
  assertionId: string;
}

export interface OnBehalfOptions {
  /** The gateway's hop keys: an assertion is believed only when the gateway itself signed it. */
  keyring: Keyring;
  identity: IdentityStore;
  /** Subgraphs whose service client may act on behalf (TRUSTED_SUBGRAPHS): its name is the subgraph's. */
  trusted: readonly string[];
  issuer: string;
}

export interface OnBehalfGate {
  /**
   * The client and purpose a service acts for: only a `service` client named as a trusted
   * subgraph, only with an assertion the gateway signed for that subgraph, only while it is
   * valid, and only for the assertion's own client (as it is now: a revoked client is refused)
   * and purpose. Throws AuthenticationError with the reason.
   */
  resolve(
    service: AuthenticatedClient,
    token: string,
    stated: RequestPurpose,
  ): Promise<{ client: AuthenticatedClient; purpose: RequestPurpose; onBehalf: OnBehalf }>;
}

export function onBehalfGate(options: OnBehalfOptions): OnBehalfGate {
  let keys = new Map<string, SuitePublicKey>();
  let readAt = 0;
  const keyOf = async (kid: string) => {
    if (!keys.has(kid) && Date.now() - readAt > 1000) {
      keys = new Map(
        (await options.keyring.published()).map((key) => [key.kid, publicKeyFromJwk(key.publicJwk)]),
      );
      readAt = Date.now();
    }
    return keys.get(kid);
  };
  const refuse = (reason: string) => new AuthenticationError(`acting on behalf refused: ${reason}`);
  return {
    async resolve(service, token, stated) {
      if (service.role !== "service" || !options.trusted.includes(service.name))
        throw refuse(`${service.name} is not a trusted service`);
      let kid: unknown;
      try {
        kid = decodeJws(token).header.kid;
      } catch {
        throw refuse("the assertion is not a JWS");
      }
      const key = typeof kid === "string" ? await keyOf(kid) : undefined;
      let claims: HopClaims & { jti?: string };
      try {
        claims = verifyJwt(token, () => key, {
          typ: HOP_TYPE,
          issuer: options.issuer,
          audience: service.name,
          required: ["exp", "iat", "jti", "aud"],
        }).claims as unknown as HopClaims & { jti?: string };
      } catch (error) {
        if (error instanceof JwtError) throw refuse(error.message);
        throw error;
      }
      if (!claims.cli) throw refuse("the assertion names no client");
      const record = await options.identity.cachedClient(claims.cli.id);
      if (!record || record.revokedAt) throw refuse(`client ${claims.cli.id} is unknown or revoked`);
      const purpose: RequestPurpose = {
        operatorId: claims.op,
        matterCode: claims.mat,
        caseNumber: claims.cas,
      };
      // A purpose the call states must be the one of the request it serves. Only a case number
      // the request left open may be named: a re-check of several commitments reads each one
      // under its own case, so the subject's history says which case the data was read for.
      for (const name of ["operatorId", "matterCode", "caseNumber"] as const) {
        if (stated[name] === null || stated[name] === purpose[name]) continue;
        if (name === "caseNumber" && purpose.caseNumber === null) {
          purpose.caseNumber = stated.caseNumber;
          continue;
        }
        throw refuse(`its ${name} differs from the request served`);
      }
      const client: AuthenticatedClient = {
        id: record.id,
        name: record.name,
        role: record.role,
        department: record.department,
        safelist: record.safelist,
        rateLimitPerMinute: record.rateLimitPerMinute,
        via: "on-behalf",
        credentialId: service.credentialId,
      };
      return { client, purpose, onBehalf: { service, assertionId: claims.jti! } };
    },
  };
}
