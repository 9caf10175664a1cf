import {
  accessLogMigration,
  KEYRING_SCHEMA,
  keyringMigrations,
  migrate,
  type Db,
  type Migration,
} from "@onecert/subgraph-kit";

/** The certificates service's tables in the gateway database. */
export const CERTIFICATES_SCHEMA = "certificates";

export const certificateMigrations: readonly Migration[] = [
  {
    version: 1,
    description: "proof signing keys and applicants' commitments",
    sql: `
      CREATE TABLE certificates.proof_keys (
        kid text PRIMARY KEY,
        public_jwk text NOT NULL,
        private_key text NOT NULL,
        encrypted boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        signed_until timestamptz
      );
      CREATE UNIQUE INDEX proof_keys_one_active ON certificates.proof_keys ((retired_at IS NULL))
        WHERE retired_at IS NULL;
      CREATE TABLE certificates.commitments (
        id text PRIMARY KEY,
        matter text NOT NULL,
        case_number text NOT NULL,
        certificate text NOT NULL,
        role text,
        subject_kind text NOT NULL,
        subject_key text NOT NULL,
        parameters text NOT NULL,
        statement text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING',
        reason text NOT NULL,
        recorded_by text NOT NULL,
        operator text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        checks integer NOT NULL DEFAULT 0,
        last_checked_at timestamptz,
        resolved_at timestamptz,
        resolution text
      );
      CREATE INDEX commitments_pending ON certificates.commitments (matter, case_number) WHERE status = 'PENDING';
      CREATE UNIQUE INDEX commitments_once ON certificates.commitments
        (matter, case_number, certificate, subject_key, coalesce(role, '')) WHERE status = 'PENDING'
    `,
  },
  {
    version: 2,
    description: "proof keys move to the shared keyring (keyring.keys, purpose proof)",
    sql: `
      INSERT INTO keyring.keys (purpose, kid, public_jwk, private_key, encrypted, created_at, retired_at, signed_until)
        SELECT 'proof', kid, public_jwk, private_key, encrypted, created_at, retired_at, signed_until
          FROM certificates.proof_keys
        ON CONFLICT DO NOTHING;
      DROP TABLE certificates.proof_keys
    `,
  },
  {
    version: 3,
    description: "a commitment belongs to the department that recorded it",
    sql: `
      ALTER TABLE certificates.commitments ADD COLUMN department text NOT NULL DEFAULT '';
      DROP INDEX certificates.commitments_once;
      CREATE UNIQUE INDEX commitments_once ON certificates.commitments
        (department, matter, case_number, certificate, subject_key, coalesce(role, '')) WHERE status = 'PENDING';
      CREATE INDEX commitments_pending_department ON certificates.commitments (department, matter, case_number)
        WHERE status = 'PENDING'
    `,
    // Commitments recorded before: the department of the client that recorded them.
    async run(tx) {
      const [clients] = await tx.query<{ found: string | null }>(
        "SELECT to_regclass('access.clients')::text AS found",
      );
      if (!clients?.found) return;
      await tx.query(
        `UPDATE certificates.commitments c SET department = cl.department
           FROM access.clients cl WHERE cl.id = c.recorded_by AND c.department = ''`,
      );
    },
  },
  accessLogMigration("certificates", 4),
  {
    version: 5,
    description: "a commitment keeps the code of the reason it was recorded for",
    sql: "ALTER TABLE certificates.commitments ADD COLUMN reason_code text",
  },
  {
    version: 6,
    description: "a resolved commitment keeps the code of the re-check's reason",
    sql: "ALTER TABLE certificates.commitments ADD COLUMN resolution_code text",
  },
  {
    version: 7,
    // kind 'check': key is the matter check's outcome; kind 'proof': the certificate type issued.
    description: "counts of matter checks by outcome and of proofs issued, per hour and matter",
    sql: `
      CREATE TABLE certificates.check_stats (
        hour timestamptz NOT NULL,
        matter text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('check', 'proof')),
        key text NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (hour, matter, kind, key)
      )
    `,
  },
];

/** The keyring first (proof keys live there), then the certificates service's own tables. */
export async function migrateCertificates(db: Db): Promise<void> {
  await migrate(db, KEYRING_SCHEMA, keyringMigrations);
  await migrate(db, CERTIFICATES_SCHEMA, certificateMigrations);
}
