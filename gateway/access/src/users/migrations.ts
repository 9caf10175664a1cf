import type { Migration } from "@onecert/subgraph-kit";

/** Schema of the console users and their sessions; apply with `migrate(db, USERS_SCHEMA, userMigrations)`. */
export const USERS_SCHEMA = "users";

/**
 * Console users and their sessions. A user's client is a foreign key into `access.clients`, so
 * apply after `accessMigrations`; the department is a code of the directory, checked by the store
 * (no foreign key, as clients keep theirs).
 */
export const userMigrations: Migration[] = [
  {
    version: 1,
    description: "console users and sessions",
    sql: `
      CREATE TABLE users.users (
        username text PRIMARY KEY CHECK (username = lower(username)),
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('clerk', 'officer', 'auditor', 'supervisor', 'admin')),
        department text NOT NULL,
        client_id text NOT NULL REFERENCES access.clients (id),
        status text NOT NULL CHECK (status IN ('active', 'disabled')),
        password_hash text NOT NULL,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        disabled_at timestamptz,
        last_login_at timestamptz
      );
      CREATE TABLE users.sessions (
        id text PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        username text NOT NULL REFERENCES users.users (username),
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sessions_username_idx ON users.sessions (username)
    `,
  },
];
