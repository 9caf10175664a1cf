import { createHash, getHashes, type Hash } from "node:crypto";

/** What a digest accepts: bytes, or text hashed as its UTF-8 bytes. */
export type DigestInput = string | Uint8Array;

let available: boolean | undefined;

/**
 * An incremental SM3 (GB/T 32905) hash, from Node's OpenSSL. Fails with a message that says why
 * when this Node was built against an OpenSSL without SM3 (some distributions drop it), rather
 * than with OpenSSL's bare "digest not supported".
 */
export function createSm3(): Hash {
  available ??= getHashes().includes("sm3");
  if (!available) {
    throw new Error(
      "this Node's OpenSSL has no SM3 digest, which the national crypto suite needs (CRYPTO_SUITE=national)",
    );
  }
  return createHash("sm3");
}

/** SM3 of the concatenation of `parts`: 32 bytes. */
export function sm3(...parts: readonly DigestInput[]): Buffer {
  const hash = createSm3();
  for (const part of parts) hash.update(part);
  return hash.digest();
}
