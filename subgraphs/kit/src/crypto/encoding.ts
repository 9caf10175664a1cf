import type { PublicJwk } from "./types";

/** DER wrapped as PEM with `label`, 64 characters a line (RFC 7468). */
export function toPem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** The DER of the first PEM block labelled `label`, or null. */
export function fromPem(pem: string, label: string): Buffer | null {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  return match ? Buffer.from(match[1].replace(/\s/g, ""), "base64") : null;
}

/**
 * Strict base64url (RFC 7515 §2): no padding, no other alphabet, and canonical trailing bits, so
 * one value has one spelling and a signature cannot be altered without being refused.
 */
export function decodeBase64url(text: unknown): Buffer | null {
  if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

/** The RFC 7638 input: the required members in lexicographic order, no whitespace. */
export function thumbprintInput({ crv, kty, x, y }: PublicJwk): string {
  return JSON.stringify(kty === "EC" ? { crv, kty, x, y } : { crv, kty, x });
}

/** `prefix` at the start of `der`, or false. */
export const startsWith = (der: Uint8Array, prefix: Uint8Array): boolean =>
  der.length >= prefix.length && Buffer.from(der.subarray(0, prefix.length)).equals(prefix);
