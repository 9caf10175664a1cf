import { createPrivateKey, createPublicKey } from "node:crypto";
import { ConfigError, defineSettings, withDefault, type Env } from "../settings";
import { oneOf } from "../settings/values";
import { nationalSuite } from "./national";
import { standardSuite } from "./standard";
import {
  SUITE_NAMES,
  type AnyJwk,
  type CryptoSuite,
  type SuiteName,
  type SuitePrivateKey,
  type SuitePublicKey,
} from "./types";

const SUITES: Readonly<Record<SuiteName, CryptoSuite>> = { standard: standardSuite, national: nationalSuite };

/** The setting that chooses a deployment's suite. */
export const CRYPTO_SUITE_SETTING = "CRYPTO_SUITE";

/** What an unset CRYPTO_SUITE means. */
export const DEFAULT_CRYPTO_SUITE: SuiteName = "standard";

export const isSuiteName = (value: unknown): value is SuiteName =>
  typeof value === "string" && (SUITE_NAMES as readonly string[]).includes(value);

/** The suite an artefact names (a checkpoint's or record's suite field); throws on any other name. */
export function suiteByName(name: string): CryptoSuite {
  if (!isSuiteName(name))
    throw new Error(`unknown crypto suite "${name}" (known: ${SUITE_NAMES.join(", ")})`);
  return SUITES[name];
}

/** The suite whose signatures a JWS `alg` names, or null: "none", "HS256", ... name none. */
export const suiteForJwsAlg = (alg: unknown): CryptoSuite | null =>
  Object.values(SUITES).find((suite) => suite.jwsAlg === alg) ?? null;

/** The suite of a JWK by its `kty` and `crv`, or null. */
export const suiteForJwk = (jwk: AnyJwk): CryptoSuite | null =>
  Object.values(SUITES).find((suite) => suite.jwkType.kty === jwk.kty && suite.jwkType.crv === jwk.crv) ??
  null;

/** The suite a key was made in. */
export const suiteOf = (key: SuitePublicKey | SuitePrivateKey): CryptoSuite => SUITES[key.suite];

/** A public key of either suite from a JWK, the suite read from `kty`/`crv`. */
export function publicKeyFromJwk(jwk: AnyJwk): SuitePublicKey {
  const suite = suiteForJwk(jwk);
  if (!suite) throw new Error(`no crypto suite has keys of kty ${String(jwk.kty)}, crv ${String(jwk.crv)}`);
  return suite.importJwk(jwk);
}

function suiteOfPem(pem: string, parse: (pem: string) => { asymmetricKeyType?: string }): CryptoSuite {
  try {
    if (parse(pem).asymmetricKeyType === "ed25519") return standardSuite;
  } catch {
    // Not one OpenSSL reads: the national suite reads its own layout, or says why not.
  }
  return nationalSuite;
}

const neither = (error: unknown): Error =>
  new Error(
    `neither an Ed25519 key (standard suite) nor an SM2 key (national suite): ${(error as Error).message}`,
  );

/** A private key PEM of either suite, the suite read from the key's algorithm. */
export function privateKeyFromPem(pem: string): SuitePrivateKey {
  const suite = suiteOfPem(pem, createPrivateKey);
  try {
    return suite.importPrivatePem(pem);
  } catch (error) {
    throw neither(error);
  }
}

/** A public key PEM (SPKI) of either suite, the suite read from the key's algorithm. */
export function publicKeyFromPem(pem: string): SuitePublicKey {
  const suite = suiteOfPem(pem, createPublicKey);
  try {
    return suite.importPublicPem(pem);
  } catch (error) {
    throw neither(error);
  }
}

export const CRYPTO_SETTINGS = defineSettings("crypto", {
  [CRYPTO_SUITE_SETTING]: withDefault(
    oneOf(SUITE_NAMES),
    DEFAULT_CRYPTO_SUITE,
    "signatures and digests of this deployment: `standard` (Ed25519, SHA-256) or `national` (SM2, SM3)",
  ),
});

/**
 * The suite CRYPTO_SUITE chooses: "standard" (the default when unset or empty) or "national".
 * A bad value is pushed onto `problems` (and the default returned) when given, so a start
 * reports every problem at once; without `problems` it throws a ConfigError.
 */
export function cryptoSuiteFromEnv(env: Env, problems?: string[]): CryptoSuite {
  const found: string[] = [];
  const read = CRYPTO_SETTINGS.read({ [CRYPTO_SUITE_SETTING]: env[CRYPTO_SUITE_SETTING]?.trim() }, found);
  if (found.length > 0 && !problems) throw new ConfigError(found);
  problems?.push(...found);
  return SUITES[read[CRYPTO_SUITE_SETTING]];
}
