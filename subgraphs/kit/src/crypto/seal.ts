import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";

/** A private key that cannot be opened (no or wrong secret, damaged record). */
export class KeyUnavailableError extends Error {
  readonly code = "PROOF_KEY_UNAVAILABLE";
}

const SCHEME = "scrypt-aes256gcm";

/** Encrypts a PEM private key with a key derived from `secret` (scrypt, AES-256-GCM). */
export function seal(pem: string, secret: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", scryptSync(secret, salt, 32), iv);
  const body = Buffer.concat([cipher.update(pem, "utf8"), cipher.final()]);
  return [SCHEME, salt, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(":");
}

/** Opens what seal() wrote; a wrong secret or an altered record fails the GCM tag check. */
export function unseal(
  sealed: string,
  secret: string | undefined,
  what: string,
  secretName = "PROOF_KEY_SECRET",
): string {
  if (!secret) throw new KeyUnavailableError(`${what} is encrypted: set ${secretName} to sign with it`);
  const [scheme, salt, iv, tag, body] = sealed.split(":");
  if (scheme !== SCHEME || !salt || !iv || !tag || !body)
    throw new KeyUnavailableError(`${what} is not in a known sealed format`);
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      scryptSync(secret, Buffer.from(salt, "base64url"), 32),
      Buffer.from(iv, "base64url"),
    );
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new KeyUnavailableError(`${what} cannot be decrypted with this ${secretName}`);
  }
}
