import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { newId } from "./ids";

/** Every API key starts with this, so a Bearer value is told apart from a JWT at a glance. */
export const API_KEY_PREFIX = "oc_";

const KEY_PATTERN = /^oc_(key_[0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

/** A new key: the one-time `apiKey` for the client, and what the database keeps. */
export function generateApiKey(): { apiKey: string; keyId: string; secretHash: string } {
  const keyId = newId("key");
  const secret = randomBytes(32).toString("base64url");
  return { apiKey: `${API_KEY_PREFIX}${keyId}_${secret}`, keyId, secretHash: hashSecret(secret) };
}

/** Splits `oc_<keyId>_<secret>`; null when the value cannot be one of our keys. */
export function parseApiKey(presented: string): { keyId: string; secret: string } | null {
  const match = KEY_PATTERN.exec(presented);
  return match ? { keyId: match[1], secret: match[2] } : null;
}

/** SHA-256 hex: the secret is 256 random bits, so a slow password hash would add nothing. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

// Compared when the key id is unknown, so that path costs the same as a wrong secret.
const DUMMY_HASH = hashSecret("no such key");

/** Constant-time comparison of the presented secret against a stored hash (or a dummy one). */
export function secretMatches(secret: string, storedHash: string | undefined): boolean {
  const expected = Buffer.from(storedHash ?? DUMMY_HASH, "hex");
  const actual = Buffer.from(hashSecret(secret), "hex");
  const equal = expected.length === actual.length && timingSafeEqual(expected, actual);
  return equal && storedHash !== undefined;
}
