import { decodeBase64url } from "./encoding";
import { suiteByName } from "./suite";
import { SUITE_NAMES, type CryptoSuite, type SuitePrivateKey, type SuitePublicKey } from "./types";

/** A JWS protected header: `alg` names the suite, the rest is the caller's (kid, typ, ...). */
export interface JwsHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [name: string]: unknown;
}

/** Why a JWS was refused: each has its own code, so callers map them to their own refusals. */
export type JwsErrorCode =
  "JWS_MALFORMED" | "JWS_UNSUPPORTED_ALG" | "JWS_UNKNOWN_KEY" | "JWS_KEY_MISMATCH" | "JWS_SIGNATURE_INVALID";

export class JwsError extends Error {
  constructor(
    readonly code: JwsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "JwsError";
  }
}

/** A compact JWS taken apart, nothing verified yet. */
export interface DecodedJws {
  header: JwsHeader;
  payload: Buffer;
  signature: Buffer;
  /** ASCII(BASE64URL(header) || "." || BASE64URL(payload)): what the signature covers. */
  signingInput: Buffer;
}

export interface VerifiedJws {
  header: JwsHeader;
  payload: Buffer;
  /** The suite the token's `alg` named and its key belongs to. */
  suite: CryptoSuite;
}

/** Finds the key for a token (by `kid`, say); undefined or null when there is none. */
export type JwsKeyResolver = (header: JwsHeader, suite: CryptoSuite) => SuitePublicKey | null | undefined;

export interface VerifyJwsOptions {
  /**
   * The suites accepted, the token's `alg` picking one. Default every suite as `suiteByName`
   * gives it (the national one under the default identifier); pass one suite to accept only it.
   */
  suites?: readonly CryptoSuite[];
}

const encode = (data: string | Uint8Array): string =>
  (typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data)).toString("base64url");

/**
 * Signs `payload` as a compact JWS (RFC 7515) in `suite`: `alg` is the suite's ("EdDSA" or
 * "SM2") and the signature its raw 64 bytes, base64url. Any `alg` given must be that one.
 */
export function signJws(
  suite: CryptoSuite,
  key: SuitePrivateKey,
  header: Omit<JwsHeader, "alg"> & { alg?: string },
  payload: string | Uint8Array,
): string {
  if (key.suite !== suite.name)
    throw new TypeError(`a ${key.suite}-suite key cannot sign in the ${suite.name} suite`);
  if (header.alg !== undefined && header.alg !== suite.jwsAlg)
    throw new TypeError(`the ${suite.name} suite signs with alg ${suite.jwsAlg}, not ${header.alg}`);
  if ("crit" in header) throw new TypeError("JWS extensions (crit) are not supported");
  const { alg: _alg, ...rest } = header;
  const input = `${encode(JSON.stringify({ alg: suite.jwsAlg, ...rest }))}.${encode(payload)}`;
  return `${input}.${suite.sign(key, Buffer.from(input, "ascii")).toString("base64url")}`;
}

/** Takes a compact JWS apart; throws JWS_MALFORMED for anything that is not one. */
export function decodeJws(token: string): DecodedJws {
  const parts = token.trim().split(".");
  if (parts.length !== 3) throw new JwsError("JWS_MALFORMED", "not a compact JWS (three base64url parts)");
  const [headerPart, payloadPart] = parts;
  const [headerBytes, payload, signature] = parts.map(decodeBase64url);
  if (!headerBytes || !payload || !signature) throw new JwsError("JWS_MALFORMED", "a part is not base64url");
  let header: unknown;
  try {
    header = JSON.parse(headerBytes.toString("utf8"));
  } catch {
    throw new JwsError("JWS_MALFORMED", "the header is not JSON");
  }
  if (!header || typeof header !== "object" || Array.isArray(header))
    throw new JwsError("JWS_MALFORMED", "the header is not a JSON object");
  if (typeof (header as JwsHeader).alg !== "string")
    throw new JwsError("JWS_MALFORMED", "the header has no alg");
  // RFC 7515 §4.1.11: an extension the verifier does not know must fail the token; none is known.
  if ("crit" in header)
    throw new JwsError("JWS_MALFORMED", "the header names extensions (crit) not supported");
  return {
    header: header as JwsHeader,
    payload,
    signature,
    signingInput: Buffer.from(`${headerPart}.${payloadPart}`, "ascii"),
  };
}

/**
 * Verifies a compact JWS: its `alg` picks the suite (never the verifier's own setting), the key
 * must be of that suite, and the signature must verify. Throws a JwsError with the reason.
 * Claims (exp, iss, ...) are the caller's to check on the returned payload.
 */
export function verifyJws(
  token: string,
  key: SuitePublicKey | JwsKeyResolver,
  options: VerifyJwsOptions = {},
): VerifiedJws {
  const { header, payload, signature, signingInput } = decodeJws(token);
  const accepted = options.suites ?? SUITE_NAMES.map(suiteByName);
  const suite = accepted.find((candidate) => candidate.jwsAlg === header.alg);
  if (!suite) {
    const algs = accepted.map((candidate) => candidate.jwsAlg).join(", ");
    throw new JwsError("JWS_UNSUPPORTED_ALG", `alg ${header.alg} is not accepted (only ${algs})`);
  }
  const publicKey = typeof key === "function" ? key(header, suite) : key;
  if (!publicKey) throw new JwsError("JWS_UNKNOWN_KEY", `no key for kid ${header.kid ?? "(none)"}`);
  if (publicKey.suite !== suite.name) {
    throw new JwsError(
      "JWS_KEY_MISMATCH",
      `alg ${header.alg} is the ${suite.name} suite's, the key is of the ${publicKey.suite} suite`,
    );
  }
  if (!suite.verify(publicKey, signingInput, signature))
    throw new JwsError("JWS_SIGNATURE_INVALID", "the signature does not verify: the token was altered");
  return { header, payload, suite };
}
