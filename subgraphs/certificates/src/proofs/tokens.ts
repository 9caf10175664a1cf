import { createHash, randomUUID } from "node:crypto";
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  SignJWT,
  type JWK,
} from "jose";
import type { SigningKey } from "@onecert/subgraph-kit";

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

/** Signs a proof: JWS with Ed25519 (alg EdDSA), the key id in the header. */
export async function signProof(key: SigningKey, issuer: string, statement: ProofStatement): Promise<string> {
  return new SignJWT({
    cert: statement.certificate,
    subject_kind: statement.subjectKind,
    verdict: statement.verdict,
    evidence_sha256: statement.evidenceDigest,
    registries: [...statement.registries],
    matter: statement.matter,
    case: statement.caseNumber,
  })
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: PROOF_TYPE })
    .setIssuer(issuer)
    .setSubject(statement.subject)
    .setJti(randomUUID())
    .setIssuedAt(Math.floor(statement.issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(statement.expiresAt.getTime() / 1000))
    .sign(key.privateKey);
}

const invalid = (code: string, reason: string, keyId: string | null = null): ProofCheck => ({
  valid: false,
  code,
  reason,
  keyId,
  claims: null,
});

/**
 * Verifies a proof against public keys alone (a JWKS): no registry is called. Expired, altered,
 * unknown-key and malformed proofs each fail with their own code and a reason to show.
 */
export async function verifyProofToken(
  token: string,
  keys: readonly JWK[],
  options: { issuer: string; now?: Date },
): Promise<ProofCheck> {
  let kid: string | null;
  try {
    const header = decodeProtectedHeader(token);
    kid = typeof header.kid === "string" ? header.kid : null;
    if (header.typ !== PROOF_TYPE) return invalid("PROOF_MALFORMED", "not a OneCert proof (typ header)", kid);
  } catch {
    return invalid("PROOF_MALFORMED", "not a compact JWS");
  }
  try {
    const { payload } = await jwtVerify(token.trim(), createLocalJWKSet({ keys: [...keys] as JWK[] }), {
      algorithms: ["EdDSA"],
      issuer: options.issuer,
      typ: PROOF_TYPE,
      currentDate: options.now,
      requiredClaims: ["iat", "exp", "sub"],
    });
    const claims = {
      certificate: String(payload.cert),
      subject: String(payload.sub),
      subjectKind: String(payload.subject_kind),
      verdict: String(payload.verdict),
      evidenceDigest: String(payload.evidence_sha256),
      registries: Array.isArray(payload.registries) ? payload.registries.map(String) : [],
      matter: typeof payload.matter === "string" ? payload.matter : null,
      caseNumber: typeof payload.case === "string" ? payload.case : null,
      issuedAt: new Date(payload.iat! * 1000),
      expiresAt: new Date(payload.exp! * 1000),
      issuer: String(payload.iss),
    };
    const reason = `${claims.certificate} ${claims.verdict} for ${claims.subject}, valid until ${claims.expiresAt.toISOString()}`;
    return { valid: true, code: null, reason, keyId: kid, claims };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      const exp = decodeJwt(token).exp;
      return invalid("PROOF_EXPIRED", `expired at ${exp ? new Date(exp * 1000).toISOString() : "?"}`, kid);
    }
    if (error instanceof errors.JWSSignatureVerificationFailed)
      return invalid("PROOF_SIGNATURE_INVALID", "the signature does not match: the proof was altered", kid);
    if (error instanceof errors.JWKSNoMatchingKey) {
      return invalid(
        "PROOF_UNKNOWN_KEY",
        `signed with key ${kid ?? "(none)"}, which is not published: not issued here, or every proof it signed has expired`,
        kid,
      );
    }
    if (error instanceof errors.JWTClaimValidationFailed)
      return invalid("PROOF_MALFORMED", `claim ${error.claim}: ${error.message}`, kid);
    if (error instanceof errors.JOSEError) return invalid("PROOF_MALFORMED", error.message, kid);
    throw error;
  }
}
