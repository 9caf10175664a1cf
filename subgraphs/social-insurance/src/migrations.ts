import { accessLogMigration, outboxMigration, type Migration } from "@onecert/subgraph-kit";

const INSURANCE_TYPES = "('110', '170', '210', '310', '410', '510')";

export const migrations: Migration[] = [
  {
    version: 1,
    description: "enrolments, contributions and pensions",
    sql: `
      CREATE TABLE social_insurance.enrolments (
        id_number text NOT NULL,
        insurance_type text NOT NULL CHECK (insurance_type IN ${INSURANCE_TYPES}),
        status text NOT NULL CHECK (status IN ('1', '2', '3')),
        employer_uscc text,
        enrolled_on date NOT NULL,
        PRIMARY KEY (id_number, insurance_type)
      );
      CREATE TABLE social_insurance.contributions (
        id_number text NOT NULL,
        period text NOT NULL CHECK (period ~ '^[0-9]{4}(0[1-9]|1[0-2])$'),
        insurance_type text NOT NULL CHECK (insurance_type IN ${INSURANCE_TYPES}),
        base numeric(12, 2) NOT NULL,
        employer_amount numeric(12, 2) NOT NULL,
        personal_amount numeric(12, 2) NOT NULL,
        employer_uscc text,
        payment_status text NOT NULL CHECK (payment_status IN ('PAID', 'ARREARS', 'BACK_PAID')),
        PRIMARY KEY (id_number, insurance_type, period)
      );
      CREATE INDEX contributions_employer_idx
        ON social_insurance.contributions (employer_uscc, insurance_type, period);
      CREATE TABLE social_insurance.pensions (
        id_number text PRIMARY KEY,
        retired_on date NOT NULL,
        monthly_amount numeric(12, 2) NOT NULL,
        status text NOT NULL CHECK (status IN ('RECEIVING', 'SUSPENDED', 'STOPPED'))
      )
    `,
  },
  outboxMigration("social_insurance", 2),
  accessLogMigration("social_insurance", 3),
];
