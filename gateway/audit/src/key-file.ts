import {
  privateKeyFromPem,
  seal,
  standardSuite,
  suiteOf,
  unseal,
  type CryptoSuite,
} from "@onecert/subgraph-kit/suites";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { keyIdOf, type PublicKeyInfo, type SigningKey } from "./signing";

// The checkpoint signing key as a file (AUDIT_SIGNING_KEY_FILE): a PKCS#8 PEM of either suite,
// or that PEM sealed (scrypt + AES-256-GCM, the keyring's format) when AUDIT_SIGNING_KEY_SECRET
// is set. Rotating it is replacing the file: the store keeps every key it signed with in
// audit.signing_keys, so what an earlier key signed still verifies.

const SEALED = /^scrypt-aes256gcm:/;
const SECRET_NAME = "AUDIT_SIGNING_KEY_SECRET";

/** The key of a PEM private key of either suite, with its id. */
export function openSigningKey(pem: string): SigningKey {
  const key = privateKeyFromPem(pem);
  return { keyId: keyIdOf(key.publicKey), publicKey: key.publicKey.pem, suite: suiteOf(key), key };
}

/** The PEM a key file holds, unsealed with `secret` when it is sealed. */
function pemOf(text: string, file: string, secret: string | undefined): string {
  const trimmed = text.trim();
  return SEALED.test(trimmed) ? unseal(trimmed, secret, `the audit signing key ${file}`, SECRET_NAME) : text;
}

export interface LoadSigningKeyOptions {
  /** The suite the key must be of (CRYPTO_SUITE); a new key is made in it. Default: whatever the file holds. */
  suite?: CryptoSuite;
  /** Seals a generated key and opens a sealed one (AUDIT_SIGNING_KEY_SECRET). */
  secret?: string;
}

/**
 * Reads the private key at `file`. When it does not exist and `generate` is set (development),
 * creates one in `options.suite` with mode 0600; `wx` makes two processes starting together agree
 * on one key. A key of another suite than `options.suite` is refused: records, trees and
 * checkpoints are made in one suite, and the key decides which.
 */
export function loadSigningKey(
  file: string,
  generate: boolean,
  options: LoadSigningKeyOptions = {},
): SigningKey {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    if (!generate) {
      const suite = options.suite ? ` --suite ${options.suite.name}` : "";
      throw new Error(
        `AUDIT_SIGNING_KEY_FILE ${file} does not exist; create one with \`onecert audit keygen${suite} --out ${file}\``,
      );
    }
    mkdirSync(dirname(file), { recursive: true });
    const { privatePem } = generateSigningKey(options.suite);
    const stored = options.secret ? seal(privatePem, options.secret) : privatePem;
    try {
      writeFileSync(file, stored, { mode: 0o600, flag: "wx" });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== "EEXIST") throw raced;
    }
    text = readFileSync(file, "utf8");
  }
  let key: SigningKey;
  try {
    key = openSigningKey(pemOf(text, file, options.secret));
  } catch (error) {
    throw new Error(`AUDIT_SIGNING_KEY_FILE ${file}: ${(error as Error).message}`);
  }
  if (options.suite && key.suite.name !== options.suite.name)
    throw new Error(
      `AUDIT_SIGNING_KEY_FILE ${file} holds a ${key.suite.name}-suite key, but CRYPTO_SUITE is ${options.suite.name}: ` +
        `create a key with \`onecert audit keygen --suite ${options.suite.name} --out NEW_FILE\` and point ` +
        "AUDIT_SIGNING_KEY_FILE at it (what the old key signed still verifies)",
    );
  return key;
}

/** A new key of `suite` (default the standard one) as PKCS#8 PEM, with its public half. */
export function generateSigningKey(
  suite?: CryptoSuite,
): { privatePem: string; suite: string } & PublicKeyInfo {
  const privatePem = (suite ?? standardSuite).generateKeyPair().exportPem();
  const { keyId, publicKey, suite: made } = openSigningKey(privatePem);
  return { privatePem, keyId, publicKey, suite: made.name };
}

/** The public half of a private key PEM (sealed with `secret`, or not). */
export const publicKeyOf = (privateText: string, secret?: string): PublicKeyInfo => {
  const { keyId, publicKey } = openSigningKey(pemOf(privateText, "given", secret));
  return { keyId, publicKey };
};
