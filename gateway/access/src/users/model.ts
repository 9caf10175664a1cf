/** What a person does in the web console; the data they may read comes from their client's rights. */
export type ConsoleRole = "clerk" | "officer" | "auditor" | "supervisor" | "admin";
export const CONSOLE_ROLES: readonly ConsoleRole[] = ["clerk", "officer", "auditor", "supervisor", "admin"];

export type UserStatus = "active" | "disabled";
export const USER_STATUSES: readonly UserStatus[] = ["active", "disabled"];

/** A console user as the store shows it; the password hash never leaves the store. */
export interface ConsoleUser {
  /** Unique, lowercase; the operator id of every request the user makes. */
  username: string;
  displayName: string;
  role: ConsoleRole;
  /** A code of the departments directory. */
  department: string;
  /** The API client whose rights the user's sessions have. */
  clientId: string;
  status: UserStatus;
  createdAt: Date;
  /** The id of the client that created the user. */
  createdBy: string;
  /** Wrong passwords since the last successful login, password reset or lockout. */
  failedLogins: number;
  /** Set while the account is locked after too many wrong passwords. */
  lockedUntil: Date | null;
  disabledAt: Date | null;
  lastLoginAt: Date | null;
}

export interface NewConsoleUser {
  username: string;
  displayName: string;
  role: ConsoleRole;
  department: string;
  clientId: string;
  password: string;
  /** The id of the client creating the user. */
  createdBy: string;
}

/** Why a login failed: the answer never says (LOGIN_FAILED), the audit record does. */
export type LoginFailure =
  | "unknown-user"
  | "wrong-password"
  /** The wrong password that made it MAX_FAILED_LOGINS in a row: the account is locked now. */
  | "locked-out"
  | "locked"
  | "disabled"
  | "client-revoked";

export type LoginResult = { ok: true; user: ConsoleUser } | { ok: false; reason: LoginFailure };

/** A console session; its secret token is never stored, only its SHA-256. */
export interface ConsoleSession {
  /** "ses_<hex>": what the audit trail records as the credential id. */
  id: string;
  username: string;
  /** Sent back in `x-csrf-token` with every state-changing request of the session. */
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** The absolute end; an idle session ends earlier (SESSION_IDLE_MS). */
  expiresAt: Date;
}

/** A freshly started session: `token` is the cookie's value, known only to the browser. */
export interface StartedSession {
  token: string;
  session: ConsoleSession;
}
