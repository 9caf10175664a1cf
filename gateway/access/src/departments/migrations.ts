import type { Migration } from "@onecert/subgraph-kit";

/** Schema of the departments directory; apply with `migrate(db, DEPARTMENTS_SCHEMA, departmentMigrations)`. */
export const DEPARTMENTS_SCHEMA = "departments";

/**
 * The departments directory. Its own schema and list: clients, subgraphs and matters keep their
 * department as a code (no foreign key), so the directory arrives without rewriting their tables.
 */
export const departmentMigrations: Migration[] = [
  {
    version: 1,
    description: "the departments directory",
    sql: `
      CREATE TABLE departments.departments (
        code text PRIMARY KEY,
        name_zh text NOT NULL,
        name_en text NOT NULL,
        credit_code text UNIQUE,
        contact text,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )
    `,
  },
];
