import { accessLogMigration, outboxMigration, type Migration } from "@onecert/subgraph-kit";

export const migrations: Migration[] = [
  {
    version: 1,
    description: "enterprises and shareholdings",
    sql: `
      CREATE TABLE legal_entity.enterprises (
        uscc text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('LIMITED_LIABILITY', 'JOINT_STOCK', 'SOLE_PROPRIETORSHIP', 'PARTNERSHIP')),
        status text NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED', 'CANCELLED')),
        registered_capital numeric(16,4) NOT NULL CHECK (registered_capital >= 0),
        established_on date NOT NULL,
        region_code text NOT NULL,
        address text NOT NULL,
        business_scope text NOT NULL,
        legal_rep_id_number text NOT NULL
      );
      CREATE INDEX enterprises_legal_rep_idx ON legal_entity.enterprises (legal_rep_id_number);
      CREATE TABLE legal_entity.shareholdings (
        uscc text NOT NULL REFERENCES legal_entity.enterprises (uscc),
        holder_kind text NOT NULL CHECK (holder_kind IN ('PERSON', 'ENTERPRISE')),
        holder_id text NOT NULL,
        share numeric(5,2) NOT NULL CHECK (share > 0 AND share <= 100),
        PRIMARY KEY (uscc, holder_kind, holder_id)
      )
    `,
  },
  outboxMigration("legal_entity", 2),
  {
    version: 3,
    description: "history of status and legal-representative changes",
    sql: `
      CREATE TABLE legal_entity.registration_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        uscc text NOT NULL REFERENCES legal_entity.enterprises (uscc),
        kind text NOT NULL CHECK (kind IN ('STATUS', 'LEGAL_REPRESENTATIVE')),
        before text NOT NULL,
        after text NOT NULL,
        effective_on date NOT NULL,
        reason text,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX registration_changes_uscc_idx ON legal_entity.registration_changes (uscc)
    `,
  },
  accessLogMigration("legal_entity", 4),
];
