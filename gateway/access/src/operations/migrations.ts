import type { Migration } from "@onecert/subgraph-kit";

/** Schema "access_operations": apart from the `access` migrations so the two never collide. */
export const OPERATIONS_SCHEMA = "access_operations";

/** Apply with `migrate(db, OPERATIONS_SCHEMA, operationMigrations)`. */
export const operationMigrations: readonly Migration[] = [
  {
    version: 1,
    description: "persisted operations (safelist)",
    sql: `
      CREATE TABLE access_operations.persisted_operations (
        hash text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
        name text NOT NULL,
        query text NOT NULL,
        client_id text,
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now()
      )
    `,
  },
];
