import type { Migration } from "@onecert/subgraph-kit";

/** Schema the identity and grant tables live in; apply with `migrate(db, ACCESS_SCHEMA, accessMigrations)`. */
export const ACCESS_SCHEMA = "access";

/**
 * Every table of the identity and grant stores. Self-contained: other features keep their own
 * migration lists, so the version numbers here never collide with theirs.
 */
export const accessMigrations: Migration[] = [
  {
    version: 1,
    description: "clients, API keys and grants",
    sql: `
      CREATE TABLE access.clients (
        id text PRIMARY KEY,
        name text NOT NULL UNIQUE,
        role text NOT NULL CHECK (role IN ('window', 'department', 'auditor', 'admin')),
        department text NOT NULL,
        safelist boolean NOT NULL DEFAULT false,
        rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0),
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE TABLE access.api_keys (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES access.clients (id),
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        last_used_at timestamptz
      );
      CREATE INDEX api_keys_client_idx ON access.api_keys (client_id);
      CREATE TABLE access.grants (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES access.clients (id),
        fields text[] NOT NULL CHECK (cardinality(fields) > 0),
        matters text[] NOT NULL CHECK (cardinality(matters) > 0),
        clear_values boolean NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL CHECK (valid_until > valid_from),
        status text NOT NULL CHECK (status IN ('REQUESTED', 'APPROVED', 'REJECTED', 'REVOKED')),
        reason text NOT NULL,
        requested_by text NOT NULL REFERENCES access.clients (id),
        requested_at timestamptz NOT NULL,
        decided_by text REFERENCES access.clients (id),
        decided_at timestamptz,
        decision_note text
      );
      CREATE INDEX grants_client_status_idx ON access.grants (client_id, status)
    `,
  },
  {
    version: 2,
    description: "the service role",
    // Services the gateway trusts (the certificates service) call it back with a key of their own.
    sql: `
      ALTER TABLE access.clients DROP CONSTRAINT clients_role_check;
      ALTER TABLE access.clients ADD CONSTRAINT clients_role_check
        CHECK (role IN ('window', 'department', 'auditor', 'admin', 'service'))
    `,
  },
];
