import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * scrypt's cost. 2^15 took about 200 ms per hash on the 2-vCPU machine this was tuned on, past
 * the ~100 ms a login may cost; 2^14 took 70-100 ms. Stored with every hash, so raising it later
 * rehashes each password at its next successful login (see needsRehash).
 */
export const SCRYPT_N = 2 ** 14;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Largest N accepted from a stored hash: a tampered row must not make a login allocate gigabytes. */
const MAX_N = 2 ** 20;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly 2^15 with r = 8.
  const options: ScryptOptions = { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, HASH_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64url): the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P);
  return ["scrypt", SCRYPT_N, SCRYPT_R, SCRYPT_P, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

interface Parsed {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const valid = (value: number, max: number) => Number.isInteger(value) && value >= 1 && value <= max;
  if (!valid(n, MAX_N) || (n & (n - 1)) !== 0 || !valid(r, 32) || !valid(p, 16)) return null;
  const salt = Buffer.from(parts[4], "base64url");
  const hash = Buffer.from(parts[5], "base64url");
  return hash.length > 0 && salt.length > 0 ? { n, r, p, salt, hash } : null;
}

// Checked when the user is unknown, so that path costs what a wrong password costs.
let dummy: Promise<string> | undefined;

/**
 * Whether `password` is the one `stored` hashes, compared in constant time. With `stored`
 * undefined (no such user) a dummy hash is checked and the answer is false, in the same time.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  dummy ??= hashPassword(randomBytes(16).toString("hex"));
  const parsed = parse(stored ?? (await dummy)) ?? parse(await dummy)!;
  const key = await derive(password, parsed.salt, parsed.n, parsed.r, parsed.p);
  const equal = key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
  return equal && stored !== undefined && parse(stored) !== null;
}

/** Whether `stored` was made with other parameters than today's, and should be made again. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.n !== SCRYPT_N || parsed.r !== SCRYPT_R || parsed.p !== SCRYPT_P;
}

/** A strong random password: 24 characters of base64url (144 bits), for a user created without one. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
