import { accessLogMigration, outboxMigration, type Migration } from "@onecert/subgraph-kit";

export const migrations: Migration[] = [
  {
    version: 1,
    description: "persons and households",
    sql: `
      CREATE TABLE population.households (
        number text PRIMARY KEY,
        region_code text NOT NULL,
        address text NOT NULL,
        head_id_number text NOT NULL
      );
      CREATE TABLE population.persons (
        id_number text PRIMARY KEY,
        name text NOT NULL,
        sex text NOT NULL CHECK (sex IN ('M', 'F')),
        birth_date date NOT NULL,
        ethnicity text NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'DECEASED', 'EMIGRATED')),
        deceased_on date,
        marital_status text NOT NULL CHECK (marital_status IN ('SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED')),
        spouse_id_number text,
        region_code text NOT NULL,
        address text NOT NULL,
        phone text,
        household_number text NOT NULL REFERENCES population.households (number),
        relation text NOT NULL
      );
      CREATE INDEX persons_household_idx ON population.persons (household_number)
    `,
  },
  outboxMigration("population", 2),
  accessLogMigration("population", 3),
];
