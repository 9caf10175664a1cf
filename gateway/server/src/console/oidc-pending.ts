import type { Db, Migration } from "@onecert/subgraph-kit";
import { createHash, randomBytes } from "node:crypto";

/** Schema of the single sign-on logins under way; apply with `migrate(db, OIDC_SCHEMA, oidcMigrations)`. */
export const OIDC_SCHEMA = "oidc";

export const oidcMigrations: Migration[] = [
  {
    version: 1,
    description: "single sign-on logins under way",
    sql: `
      CREATE TABLE oidc.pending_logins (
        handle_hash text PRIMARY KEY,
        state text NOT NULL,
        nonce text NOT NULL,
        code_verifier text NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX pending_logins_expires_idx ON oidc.pending_logins (expires_at)
    `,
  },
];

/** How long a person has at the identity provider between leaving the console and coming back. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;

/** What the callback must match: the authorization request's state, nonce and PKCE verifier. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface PendingLogins {
  /** A new login; `handle` is the browser's cookie, the only way back to it. */
  begin(): Promise<{ handle: string; login: PendingLogin }>;
  /**
   * The login behind a cookie's handle, removed whatever the outcome so that it serves one
   * callback only; "expired" past OIDC_LOGIN_TTL_MS, null when unknown or already used.
   */
  take(handle: string): Promise<PendingLogin | "expired" | null>;
}

const random = () => randomBytes(32).toString("base64url");
/** SHA-256 hex: the handle is 256 random bits, and the database never holds the cookie's value. */
const hashOf = (handle: string) => createHash("sha256").update(handle).digest("hex");

/**
 * Logins under way in the gateway's database, so that the callback may reach any replica: the
 * browser holds only a random handle, and the state, nonce and verifier never leave the gateway.
 * `now` is the clock, default the system's.
 */
export function pendingLogins(db: Pick<Db, "query">, now: () => Date = () => new Date()): PendingLogins {
  return {
    async begin() {
      const at = now();
      // Logins abandoned at the identity provider go when the next one starts.
      await db.query(`DELETE FROM oidc.pending_logins WHERE expires_at <= $1`, [at]);
      const handle = random();
      const login = { state: random(), nonce: random(), codeVerifier: random() };
      await db.query(
        `INSERT INTO oidc.pending_logins (handle_hash, state, nonce, code_verifier, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [
          hashOf(handle),
          login.state,
          login.nonce,
          login.codeVerifier,
          new Date(at.getTime() + OIDC_LOGIN_TTL_MS),
        ],
      );
      return { handle, login };
    },

    async take(handle) {
      // One statement: of two callbacks racing with the same cookie, one gets the login.
      const [row] = await db.query<PendingLogin & { expiresAt: Date }>(
        `DELETE FROM oidc.pending_logins WHERE handle_hash = $1
         RETURNING state, nonce, code_verifier AS "codeVerifier", expires_at AS "expiresAt"`,
        [hashOf(handle)],
      );
      if (!row) return null;
      if (row.expiresAt <= now()) return "expired";
      return { state: row.state, nonce: row.nonce, codeVerifier: row.codeVerifier };
    },
  };
}
