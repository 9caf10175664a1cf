/** What a calling system is allowed to be. */
/**
 * What a calling system is allowed to be. A `service` is one of OneCert's own services (the
 * certificates service): it reads nothing as itself, and acts only on behalf of a request the
 * gateway signed for it.
 */
export type Role = "window" | "department" | "auditor" | "admin" | "service";
export const ROLES: readonly Role[] = ["window", "department", "auditor", "admin", "service"];

/** The calling system behind a request, once its credential checked out. */
export interface AuthenticatedClient {
  id: string;
  name: string;
  role: Role;
  /** Owning department, e.g. "public-security"; NOT_SHARED data reaches only its own department. */
  department: string;
  /** Only registered operation hashes may run for this client. */
  safelist: boolean;
  /** Requests per minute; null uses the gateway default. */
  rateLimitPerMinute: number | null;
  /** How the client proved itself ("session": a console user's session, acting as the user's client). */
  via: "api-key" | "jwt" | "on-behalf" | "session";
  /** The API key's id, the JWT's `jti` or the console session's id, for the audit trail. */
  credentialId: string | null;
}

/** Who asked and why: every data request states it in headers. */
export interface RequestPurpose {
  /** The clerk at the window (x-operator-id). */
  operatorId: string | null;
  /** The matter being served (x-matter-code). */
  matterCode: string | null;
  /** The case file (x-case-number), when there is one. */
  caseNumber: string | null;
}

export type GrantStatus = "REQUESTED" | "APPROVED" | "REJECTED" | "REVOKED";

/**
 * Permission for one client to read CONDITIONAL data, or to see sensitive values in clear,
 * for stated matters and a bounded time.
 */
export interface Grant {
  id: string;
  clientId: string;
  /** "Type.field" or "Type.*", e.g. "Person.realEstate", "SocialInsurance.*". */
  fields: string[];
  /** Matter codes the grant serves; never empty. */
  matters: string[];
  /** Sensitive values of these fields are returned unmasked. */
  clearValues: boolean;
  validFrom: Date;
  validUntil: Date;
  status: GrantStatus;
  reason: string;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

/** Where the policy reads grants from. */
export interface GrantSource {
  /** APPROVED grants of the client valid at `now`. */
  activeGrants(clientId: string, now?: Date): Promise<Grant[]>;
}
