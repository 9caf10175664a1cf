import { accessLogMigration, outboxMigration, type Migration } from "@onecert/subgraph-kit";

export const migrations: Migration[] = [
  {
    version: 1,
    description: "real estate, ownerships, mortgages and seizures",
    sql: `
      CREATE TABLE property.real_estate (
        unit_number text PRIMARY KEY,
        certificate_number text NOT NULL UNIQUE,
        region_code text NOT NULL,
        address text NOT NULL,
        use text NOT NULL CHECK (use IN ('RESIDENTIAL', 'COMMERCIAL', 'OFFICE', 'INDUSTRIAL')),
        area numeric(10,2) NOT NULL CHECK (area > 0),
        registered_on date NOT NULL
      );
      CREATE TABLE property.ownerships (
        unit_number text NOT NULL REFERENCES property.real_estate (unit_number),
        owner_kind text NOT NULL CHECK (owner_kind IN ('PERSON', 'ENTERPRISE')),
        owner_id text NOT NULL,
        share numeric(5,2) NOT NULL CHECK (share > 0 AND share <= 100),
        PRIMARY KEY (unit_number, owner_kind, owner_id)
      );
      CREATE INDEX ownerships_owner_idx ON property.ownerships (owner_id);
      CREATE TABLE property.mortgages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        unit_number text NOT NULL REFERENCES property.real_estate (unit_number),
        mortgagee text NOT NULL,
        amount numeric(14,2) NOT NULL CHECK (amount > 0),
        registered_on date NOT NULL,
        released_on date CHECK (released_on >= registered_on)
      );
      CREATE INDEX mortgages_unit_idx ON property.mortgages (unit_number);
      CREATE TABLE property.seizures (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        unit_number text NOT NULL REFERENCES property.real_estate (unit_number),
        authority text NOT NULL,
        case_number text NOT NULL,
        seized_on date NOT NULL,
        lifted_on date CHECK (lifted_on >= seized_on)
      );
      CREATE INDEX seizures_unit_idx ON property.seizures (unit_number)
    `,
  },
  outboxMigration("property", 2),
  {
    version: 3,
    description: "serials of certificates issued on transfer",
    // Above the serials the synthetic world reserves (at most 8,000,000), so issued numbers never collide.
    sql: `CREATE SEQUENCE property.certificate_serial START WITH 8000001 MINVALUE 8000001 MAXVALUE 9999999`,
  },
  accessLogMigration("property", 4),
];
