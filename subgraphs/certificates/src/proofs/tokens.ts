import { createHash, randomUUID } from "node:crypto";
import type { JWK } from "jose";
import {
  decodeJws,
  JwtError,
  publicKeyFromJwk,
  signJwt,
  verifyJwt,
  type SigningKey,
  type SuitePublicKey,
} from "@onecert/subgraph-kit";

/** The `typ` header of every OneCert proof, so no other JWT passes as one. */
export const PROOF_TYPE = "onecert-proof+jwt";

/** What a proof states; the subject is masked, the evidence only present as its digest. */
export interface ProofStatement {
  certificate: string;
  subject: string;
  subjectKind: string;
  verdict: string;
  evidenceDigest: string;
  registries: readonly string[];
  matter: string | null;
  caseNumber: string | null;
  issuedAt: Date;
  expiresAt: Date;
}

export interface ProofCheck {
  valid: boolean;
  /** Null when valid; else PROOF_EXPIRED, PROOF_SIGNATURE_INVALID, PROOF_UNKNOWN_KEY, PROOF_MALFORMED. */
  code: string | null;
  reason: string;
  keyId: string | null;
  claims: (ProofStatement & { issuer: string }) | null;
}

/** JSON with sorted keys at every level: the same evidence always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** sha256 of the canonical evidence JSON, base64url. */
export const evidenceDigest = (evidence: unknown): string =>
  createHash("sha256").update(canonicalJson(evidence)).digest("base64url");

/**
 * Signs a proof: a JWT in the signing key's suite (alg EdDSA with Ed25519, or SM2 with SM3 under
 * the national suite), the key id in the header.
 */
export async function signProof(key: SigningKey, issuer: string, statement: ProofStatement): Promise<string> {
  return signJwt(
    key.suite,
    key.key,
    { kid: key.kid, typ: PROOF_TYPE },
    {
      iss: issuer,
      sub: statement.subject,
      jti: randomUUID(),
      iat: Math.floor(statement.issuedAt.getTime() / 1000),
      exp: Math.floor(statement.expiresAt.getTime() / 1000),
      cert: statement.certificate,
      subject_kind: statement.subjectKind,
      verdict: statement.verdict,
      evidence_sha256: statement.evidenceDigest,
      registries: [...statement.registries],
      matter: statement.matter,
      case: statement.caseNumber,
    },
  );
}

const invalid = (code: string, reason: string, keyId: string | null = null): ProofCheck => ({
  valid: false,
  code,
  reason,
  keyId,
  claims: null,
});

const PROOF_CODES: Partial<Record<JwtError["code"], string>> = {
  JWT_EXPIRED: "PROOF_EXPIRED",
  JWS_SIGNATURE_INVALID: "PROOF_SIGNATURE_INVALID",
  JWS_UNKNOWN_KEY: "PROOF_UNKNOWN_KEY",
};

/**
 * Verifies a proof against public keys alone (a JWKS): no registry is called. The token's `alg`
 * and the key's type name its suite, so proofs of either suite verify. Expired, altered,
 * unknown-key and malformed proofs each fail with their own code and a reason to show.
 */
export async function verifyProofToken(
  token: string,
  keys: readonly JWK[],
  options: { issuer: string; now?: Date },
): Promise<ProofCheck> {
  let kid: string | null;
  try {
    const { header } = decodeJws(token);
    kid = typeof header.kid === "string" ? header.kid : null;
    if (header.typ !== PROOF_TYPE) return invalid("PROOF_MALFORMED", "not a OneCert proof (typ header)", kid);
  } catch {
    return invalid("PROOF_MALFORMED", "not a compact JWS");
  }
  const published = new Map<string, SuitePublicKey>();
  for (const jwk of keys) {
    try {
      if (typeof jwk.kid === "string") published.set(jwk.kid, publicKeyFromJwk(jwk));
    } catch {
      // A key no suite reads signs no OneCert proof.
    }
  }
  try {
    const { claims } = verifyJwt(
      token.trim(),
      (header) => (typeof header.kid === "string" ? published.get(header.kid) : undefined),
      {
        typ: PROOF_TYPE,
        issuer: options.issuer,
        required: ["iat", "exp", "sub"],
        leewaySeconds: 0,
        now: options.now,
      },
    );
    const result = {
      certificate: String(claims.cert),
      subject: String(claims.sub),
      subjectKind: String(claims.subject_kind),
      verdict: String(claims.verdict),
      evidenceDigest: String(claims.evidence_sha256),
      registries: Array.isArray(claims.registries) ? claims.registries.map(String) : [],
      matter: typeof claims.matter === "string" ? claims.matter : null,
      caseNumber: typeof claims.case === "string" ? claims.case : null,
      issuedAt: new Date(claims.iat! * 1000),
      expiresAt: new Date(claims.exp! * 1000),
      issuer: String(claims.iss),
    };
    const reason = `${result.certificate} ${result.verdict} for ${result.subject}, valid until ${result.expiresAt.toISOString()}`;
    return { valid: true, code: null, reason, keyId: kid, claims: result };
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    const code = PROOF_CODES[error.code] ?? "PROOF_MALFORMED";
    if (code === "PROOF_UNKNOWN_KEY") {
      return invalid(
        code,
        `signed with key ${kid ?? "(none)"}, which is not published: not issued here, or every proof it signed has expired`,
        kid,
      );
    }
    if (code === "PROOF_SIGNATURE_INVALID")
      return invalid(code, "the signature does not match: the proof was altered", kid);
    return invalid(code, error.message, kid);
  }
}
