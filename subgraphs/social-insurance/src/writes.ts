import type { Queryable } from "@onecert/subgraph-kit";
import type { EnrolmentStatus, InsuranceType, PaymentStatus } from "./codes";

/** One monthly record as written. */
export interface ContributionRow {
  idNumber: string;
  period: string;
  type: InsuranceType;
  base: number;
  employerAmount: number;
  personalAmount: number;
  employerUscc: string | null;
  paymentStatus: PaymentStatus;
}

/**
 * The person's enrolments by type code, locked until the transaction ends: that serialises two
 * changes of one person, even for a month not recorded yet.
 */
export async function lockEnrolments(tx: Queryable, idNumber: string): Promise<Map<string, EnrolmentStatus>> {
  const rows = await tx.query<{ type: string; status: EnrolmentStatus }>(
    `SELECT insurance_type AS type, status FROM social_insurance.enrolments
      WHERE id_number = $1 ORDER BY insurance_type FOR UPDATE`,
    [idNumber],
  );
  return new Map(rows.map((row) => [row.type, row.status]));
}

/** The record of one month and type, locked; null when none is recorded. */
export async function lockRecord(
  tx: Queryable,
  idNumber: string,
  type: InsuranceType,
  period: string,
): Promise<{ paymentStatus: PaymentStatus; employerUscc: string | null } | null> {
  const rows = await tx.query<{ paymentStatus: PaymentStatus; employerUscc: string | null }>(
    `SELECT payment_status AS "paymentStatus", employer_uscc AS "employerUscc" FROM social_insurance.contributions
      WHERE id_number = $1 AND insurance_type = $2 AND period = $3 FOR UPDATE`,
    [idNumber, type, period],
  );
  return rows[0] ?? null;
}

/** Writes the record of one month and type, replacing the one recorded before. */
export async function saveRecord(tx: Queryable, row: ContributionRow): Promise<void> {
  await tx.query(
    `INSERT INTO social_insurance.contributions
       (id_number, period, insurance_type, base, employer_amount, personal_amount, employer_uscc, payment_status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id_number, insurance_type, period) DO UPDATE SET base = excluded.base,
       employer_amount = excluded.employer_amount, personal_amount = excluded.personal_amount,
       employer_uscc = excluded.employer_uscc, payment_status = excluded.payment_status`,
    [
      row.idNumber,
      row.period,
      row.type,
      row.base,
      row.employerAmount,
      row.personalAmount,
      row.employerUscc,
      row.paymentStatus,
    ],
  );
}
