import { randomBytes } from "node:crypto";
import { signJwt, standardSuite, type SigningKey, type SuitePrivateKey } from "../crypto";
import { bodyHash, HOP_TYPE, type HopClaims, type HopKeySource } from "../hop";

/**
 * A stand-in for the gateway's hop keys, for tests that call a subgraph themselves: one signing
 * key, the key source the subgraph verifies with, and assertions made to order (expired, for
 * another audience, over another body, by an unknown key) to test each refusal.
 */
export interface TestHop {
  keys: HopKeySource;
  kid: string;
  /** An assertion for `audience` over `body`; `overrides` change claims or the key. */
  assert(audience: string, body: string, overrides?: AssertionOverrides): string;
}

export interface AssertionOverrides {
  claims?: Partial<HopClaims> & { iat?: number; exp?: number; iss?: string; aud?: string; jti?: string };
  /** Sign with this key instead, under `kid` (default the test key's). */
  key?: SuitePrivateKey;
  kid?: string;
}

export const TEST_HOP_CLIENT = {
  id: "cl_test",
  name: "test-window",
  role: "window",
  department: "government-service-center",
};

/**
 * A test hop with a key of its own, or with `signing`, a key of the gateway's keyring (so a
 * running stack's subgraphs believe it, for tests of what they refuse beyond the signature).
 */
export function createTestHop(signing?: SigningKey): TestHop {
  const suite = signing?.suite ?? standardSuite;
  const pair = signing ? null : standardSuite.generateKeyPair();
  const key = signing?.key ?? pair!;
  const kid = signing?.kid ?? standardSuite.thumbprint(pair!.publicKey);
  return {
    kid,
    keys: { key: async (wanted) => (pair && wanted === kid ? pair.publicKey : undefined) },
    assert(audience, body, overrides = {}) {
      const iat = Math.floor(Date.now() / 1000);
      return signJwt(
        suite,
        overrides.key ?? key,
        { kid: overrides.kid ?? kid, typ: HOP_TYPE },
        {
          iss: "onecert-gateway",
          aud: audience,
          jti: randomBytes(12).toString("base64url"),
          iat,
          exp: iat + 30,
          rid: `test-${randomBytes(4).toString("hex")}`,
          cli: TEST_HOP_CLIENT,
          op: "clerk-test",
          mat: "test-matter",
          cas: null,
          bh: bodyHash(suite, body),
          ...overrides.claims,
        },
      );
    },
  };
}
