import { Refusal } from "@onecert/subgraph-kit";
import type { Db } from "@onecert/subgraph-kit";
import { createHash, randomBytes } from "node:crypto";
import type { DepartmentStore } from "../departments";
import type { IdentityStore } from "../identity";
import type { ClientRecord } from "../identity/model";
import type { AuthenticatedClient } from "../types";
import type { ConsoleSession, ConsoleUser, LoginResult, NewConsoleUser, StartedSession } from "./model";
import { hashPassword, needsRehash, verifyPassword } from "./password";
import {
  checkNewUser,
  checkPassword,
  LOCKOUT_MS,
  MAX_FAILED_LOGINS,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  SESSION_TOUCH_MS,
} from "./rules";

export interface UserStoreOptions {
  /** Where a new user's client must exist (not revoked, not a service). */
  identity: Pick<IdentityStore, "getClient">;
  /** The directory a new user's department must be in (UNKNOWN_DEPARTMENT). */
  departments: Pick<DepartmentStore, "require">;
  /** The clock; default the system clock. */
  now?: () => Date;
}

/** A live session with its user and the client whose rights it has. */
export interface ConsoleCaller {
  user: ConsoleUser;
  session: ConsoleSession;
  /** The user's client, `via: "session"`, the session id as its credential id. */
  client: AuthenticatedClient;
}

export interface UserStore {
  /** Adds a user; USER_EXISTS when the username is taken, UNKNOWN_DEPARTMENT, UNKNOWN_CLIENT. */
  create(input: NewConsoleUser): Promise<ConsoleUser>;
  /** Every user, by username. */
  list(): Promise<ConsoleUser[]>;
  /** One user; null when unknown. */
  get(username: string): Promise<ConsoleUser | null>;
  /** Disables the user and ends every session they have, at once. */
  disable(username: string): Promise<ConsoleUser>;
  /** Lets a disabled user log in again (with the password they had); CONFLICT when already active. */
  enable(username: string): Promise<ConsoleUser>;
  /** Sets a new password, clears the lockout and ends every session the user has. */
  setPassword(username: string, password: string): Promise<ConsoleUser>;
  /**
   * Checks a username (any case) and password, counting wrong passwords towards the lockout.
   * Costs one password hash whatever the outcome, so the time taken tells no one who exists.
   */
  login(username: string, password: string): Promise<LoginResult>;
  /**
   * Logs in a user whose identity the caller verified otherwise (single sign-on): no password,
   * so no lockout counted or checked; an unknown or disabled user, or a revoked client, fails as
   * in `login`. Records the login time.
   */
  loginVerified(username: string): Promise<LoginResult>;
  /** A new session of an active user (call after a successful login). */
  startSession(username: string): Promise<StartedSession & { caller: ConsoleCaller }>;
  /**
   * The live session behind a cookie's token; null when unknown, expired (idle or absolute), or
   * when the user is disabled or their client revoked. Read from the database on every call.
   */
  session(token: string): Promise<ConsoleCaller | null>;
  /** Ends the session behind a token (logout); nothing when there is none. */
  endSession(token: string): Promise<void>;
}

const USER_COLUMNS = `u.username, u.display_name AS "displayName", u.role, u.department,
  u.client_id AS "clientId", u.status, u.created_at AS "createdAt", u.created_by AS "createdBy",
  u.failed_logins AS "failedLogins", u.locked_until AS "lockedUntil", u.disabled_at AS "disabledAt",
  u.last_login_at AS "lastLoginAt"`;

/** SHA-256 hex: the token is 256 random bits, so a slow hash would add nothing. */
const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

interface LoginRow extends ConsoleUser {
  passwordHash: string;
  clientRevokedAt: Date | null;
}

interface SessionRow {
  session: ConsoleSession;
  user: ConsoleUser;
  client: Omit<ClientRecord, "createdAt">;
}

interface LookupRow {
  sessionId: string;
  csrfToken: string;
  sessionCreatedAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  clientName: string;
  clientRole: ClientRecord["role"];
  clientDepartment: string;
  safelist: boolean;
  rateLimitPerMinute: number | null;
  clientRevokedAt: Date | null;
}

/** Console users and their sessions in the `users` schema (migrate with `userMigrations` first). */
export function createUserStore(db: Db, options: UserStoreOptions): UserStore {
  const now = options.now ?? (() => new Date());
  const notFound = (username: string) => new Refusal("NOT_FOUND", `user ${username} not found`);
  const find = async (username: string) =>
    (
      await db.query<ConsoleUser>(`SELECT ${USER_COLUMNS} FROM users.users u WHERE u.username = $1`, [
        username,
      ])
    )[0] ?? null;
  const endSessionsOf = (username: string) =>
    db.query(`DELETE FROM users.sessions WHERE username = $1`, [username]);

  async function lookup(hash: string): Promise<SessionRow | null> {
    const [row] = await db.query<ConsoleUser & LookupRow>(
      `SELECT ${USER_COLUMNS}, s.id AS "sessionId", s.csrf_token AS "csrfToken",
         s.created_at AS "sessionCreatedAt", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt",
         c.name AS "clientName", c.role AS "clientRole", c.department AS "clientDepartment",
         c.safelist, c.rate_limit_per_minute AS "rateLimitPerMinute", c.revoked_at AS "clientRevokedAt"
       FROM users.sessions s JOIN users.users u ON u.username = s.username
         JOIN access.clients c ON c.id = u.client_id
       WHERE s.token_hash = $1`,
      [hash],
    );
    if (!row) return null;
    const { sessionId, csrfToken, sessionCreatedAt, lastSeenAt, expiresAt, ...rest } = row;
    const {
      clientName,
      clientRole,
      clientDepartment,
      safelist,
      rateLimitPerMinute,
      clientRevokedAt,
      ...user
    } = rest;
    return {
      session: {
        id: sessionId,
        username: user.username,
        csrfToken,
        createdAt: sessionCreatedAt,
        lastSeenAt,
        expiresAt,
      },
      user,
      client: {
        id: user.clientId,
        name: clientName,
        role: clientRole,
        department: clientDepartment,
        safelist,
        rateLimitPerMinute,
        revokedAt: clientRevokedAt,
      },
    };
  }

  const callerOf = ({ session, user, client }: SessionRow): ConsoleCaller => ({
    session,
    user,
    client: {
      id: client.id,
      name: client.name,
      role: client.role,
      department: client.department,
      safelist: client.safelist,
      rateLimitPerMinute: client.rateLimitPerMinute,
      via: "session",
      credentialId: session.id,
    },
  });

  return {
    async create(input) {
      checkNewUser(input);
      await options.departments.require(input.department);
      const client = await options.identity.getClient(input.clientId);
      if (!client)
        throw new Refusal("UNKNOWN_CLIENT", `client ${input.clientId} does not exist`, {
          clientId: input.clientId,
        });
      if (client.revokedAt) throw new Refusal("CONFLICT", `client ${input.clientId} is revoked`);
      if (client.role === "service")
        throw new Refusal("BAD_REQUEST", `client ${input.clientId} is a service client; people use another`);
      const passwordHash = await hashPassword(input.password);
      const [row] = await db.query<ConsoleUser>(
        `INSERT INTO users.users AS u (username, display_name, role, department, client_id, status,
           password_hash, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8) ON CONFLICT DO NOTHING RETURNING ${USER_COLUMNS}`,
        [
          input.username,
          input.displayName.trim(),
          input.role,
          input.department,
          input.clientId,
          passwordHash,
          now(),
          input.createdBy,
        ],
      );
      if (!row)
        throw new Refusal("USER_EXISTS", `user ${input.username} already exists`, {
          username: input.username,
        });
      return row;
    },

    list: () => db.query<ConsoleUser>(`SELECT ${USER_COLUMNS} FROM users.users u ORDER BY u.username`),

    get: find,

    async disable(username) {
      const [row] = await db.query<ConsoleUser>(
        `UPDATE users.users u SET status = 'disabled', disabled_at = $2
         WHERE u.username = $1 AND u.status = 'active' RETURNING ${USER_COLUMNS}`,
        [username, now()],
      );
      await endSessionsOf(username);
      if (row) return row;
      if (await find(username)) throw new Refusal("CONFLICT", `user ${username} is already disabled`);
      throw notFound(username);
    },

    async enable(username) {
      const [row] = await db.query<ConsoleUser>(
        `UPDATE users.users u SET status = 'active', disabled_at = NULL, failed_logins = 0, locked_until = NULL
         WHERE u.username = $1 AND u.status = 'disabled' RETURNING ${USER_COLUMNS}`,
        [username],
      );
      if (row) return row;
      if (await find(username)) throw new Refusal("CONFLICT", `user ${username} is already active`);
      throw notFound(username);
    },

    async setPassword(username, password) {
      checkPassword(password);
      const passwordHash = await hashPassword(password);
      const [row] = await db.query<ConsoleUser>(
        `UPDATE users.users u SET password_hash = $2, failed_logins = 0, locked_until = NULL
         WHERE u.username = $1 RETURNING ${USER_COLUMNS}`,
        [username, passwordHash],
      );
      if (!row) throw notFound(username);
      await endSessionsOf(username);
      return row;
    },

    async login(given, password) {
      const username = given.trim().toLowerCase();
      const [row] = await db.query<LoginRow>(
        `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash", c.revoked_at AS "clientRevokedAt"
         FROM users.users u JOIN access.clients c ON c.id = u.client_id WHERE u.username = $1`,
        [username],
      );
      // Always one hash, so an unknown, locked or disabled user answers in the same time.
      const matches = await verifyPassword(password, row?.passwordHash);
      if (!row) return { ok: false, reason: "unknown-user" };
      if (row.status !== "active") return { ok: false, reason: "disabled" };
      if (row.clientRevokedAt) return { ok: false, reason: "client-revoked" };
      const at = now();
      if (row.lockedUntil && row.lockedUntil > at) return { ok: false, reason: "locked" };
      if (!matches) {
        // One statement, so concurrent wrong passwords all count.
        const [counted] = await db.query<{ locked: boolean }>(
          `UPDATE users.users SET
             failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
             locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
           WHERE username = $1 RETURNING locked_until IS NOT NULL AND locked_until > $4 AS locked`,
          [username, MAX_FAILED_LOGINS, new Date(at.getTime() + LOCKOUT_MS), at],
        );
        return { ok: false, reason: counted?.locked ? "locked-out" : "wrong-password" };
      }
      const rehashed = needsRehash(row.passwordHash) ? await hashPassword(password) : null;
      const [user] = await db.query<ConsoleUser>(
        `UPDATE users.users u SET failed_logins = 0, locked_until = NULL, last_login_at = $2,
           password_hash = coalesce($3, password_hash)
         WHERE u.username = $1 RETURNING ${USER_COLUMNS}`,
        [username, at, rehashed],
      );
      return { ok: true, user };
    },

    async loginVerified(given) {
      const username = given.trim().toLowerCase();
      const [row] = await db.query<{ status: ConsoleUser["status"]; clientRevokedAt: Date | null }>(
        `SELECT u.status, c.revoked_at AS "clientRevokedAt"
         FROM users.users u JOIN access.clients c ON c.id = u.client_id WHERE u.username = $1`,
        [username],
      );
      if (!row) return { ok: false, reason: "unknown-user" };
      if (row.status !== "active") return { ok: false, reason: "disabled" };
      if (row.clientRevokedAt) return { ok: false, reason: "client-revoked" };
      const [user] = await db.query<ConsoleUser>(
        `UPDATE users.users u SET last_login_at = $2 WHERE u.username = $1 RETURNING ${USER_COLUMNS}`,
        [username, now()],
      );
      return { ok: true, user };
    },

    async startSession(username) {
      const at = now();
      // Sessions of this user that died without a logout go when the next one starts.
      await db.query(
        `DELETE FROM users.sessions WHERE username = $1 AND (expires_at <= $2 OR last_seen_at <= $3)`,
        [username, at, new Date(at.getTime() - SESSION_IDLE_MS)],
      );
      const token = randomBytes(32).toString("base64url");
      await db.query(
        `INSERT INTO users.sessions (id, token_hash, username, csrf_token, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $5, $6)`,
        [
          `ses_${randomBytes(12).toString("hex")}`,
          tokenHash(token),
          username,
          randomBytes(32).toString("base64url"),
          at,
          new Date(at.getTime() + SESSION_ABSOLUTE_MS),
        ],
      );
      const row = await lookup(tokenHash(token));
      if (!row) throw new Error(`the session just started for ${username} is not there`);
      return { token, session: row.session, caller: callerOf(row) };
    },

    async session(token) {
      const row = await lookup(tokenHash(token));
      if (!row) return null;
      const at = now();
      const { session, user, client } = row;
      const idle = at.getTime() - session.lastSeenAt.getTime() >= SESSION_IDLE_MS;
      if (idle || session.expiresAt <= at) {
        await db.query(`DELETE FROM users.sessions WHERE id = $1`, [session.id]);
        return null;
      }
      if (user.status !== "active" || client.revokedAt) return null;
      if (at.getTime() - session.lastSeenAt.getTime() >= SESSION_TOUCH_MS) {
        await db.query(`UPDATE users.sessions SET last_seen_at = $2 WHERE id = $1`, [session.id, at]);
        session.lastSeenAt = at;
      }
      return callerOf(row);
    },

    async endSession(token) {
      await db.query(`DELETE FROM users.sessions WHERE token_hash = $1`, [tokenHash(token)]);
    },
  };
}
