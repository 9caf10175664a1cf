import type { CryptoSuite } from "../crypto";

// What the gateway asserts to a subgraph about each request it sends (the hop assertion), and
// what a subgraph that verified one knows about the request: shared by signer and verifiers.

/** The request header that carries the gateway's signed assertion (a compact JWT). */
export const HOP_ASSERTION_HEADER = "x-onecert-assertion";
/** The response header a subgraph answers with: the id of the assertion it verified and logged. */
export const HOP_ID_HEADER = "x-onecert-hop";
/** The header a trusted subgraph calls the gateway back with: the assertion of the request it serves. */
export const ON_BEHALF_HEADER = "x-onecert-on-behalf-of";
/** The JWT `typ` of hop assertions, so no other token of the gateway's keys passes as one. */
export const HOP_TYPE = "onecert-hop+jwt";
/** Longest validity the verifiers accept, in seconds. */
export const HOP_MAX_LIFETIME_SECONDS = 60;

/** The calling system behind a request, as the gateway authenticated it. */
export interface HopClient {
  id: string;
  name: string;
  role: string;
  department: string;
}

/** The claims of a hop assertion (besides iss, aud, jti, iat, exp). */
export interface HopClaims {
  /** The gateway's request id. */
  rid: string;
  /** The calling client; null for the gateway's own calls (schema loads, health). */
  cli: HopClient | null;
  /** Operator (x-operator-id), matter (x-matter-code), case (x-case-number). */
  op: string | null;
  mat: string | null;
  cas: string | null;
  /** "<digest name>:<base64url>" of the exact request body sent. */
  bh: string;
}

/** What a subgraph knows about a request whose assertion verified. */
export interface HopContext {
  /** The assertion's id (jti): the same in the gateway's audit trail and the subgraph's log. */
  id: string;
  issuer: string;
  requestId: string;
  client: HopClient | null;
  operatorId: string | null;
  matterCode: string | null;
  caseNumber: string | null;
  /** Its expiry: a replay record need not outlive it. */
  expiresAt: Date;
  /** The compact token itself, for a trusted subgraph to act on behalf of the request. */
  token: string;
}

/** The body digest an assertion carries: the suite's digest, named, base64url. */
export const bodyHash = (suite: CryptoSuite, body: string | Uint8Array): string =>
  `${suite.digestName}:${suite.digest(body).toString("base64url")}`;
