import type { Migration } from "@onecert/subgraph-kit";

/** Schema of the per-field usage counts in the gateway database. */
export const USAGE_SCHEMA = "usage";

/** Requests per day, client and field: the day lets the registry pick any window. */
export const usageMigrations: Migration[] = [
  {
    version: 1,
    description: "field usage per day and client",
    sql: `
      CREATE TABLE usage.field_usage (
        day date NOT NULL,
        client_id text NOT NULL,
        field text NOT NULL,
        requests bigint NOT NULL,
        last_used timestamptz NOT NULL,
        PRIMARY KEY (field, day, client_id)
      )
    `,
  },
];
