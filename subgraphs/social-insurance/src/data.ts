import DataLoader from "dataloader";
import { batchBy, groupBy, type Db } from "@onecert/subgraph-kit";
import { COUNTED_PAYMENTS, type InsuranceType } from "./codes";
import type { Contribution } from "./contribution";
import type { Enrolment } from "./enrolment";
import type { Pension } from "./social-insurance";

export function enrolmentsOf(db: Db, idNumbers: readonly string[]): Promise<Enrolment[]> {
  return db.query<Enrolment>(
    `SELECT id_number AS "idNumber", insurance_type AS type, insurance_type AS code, status,
            employer_uscc AS "employerUscc", enrolled_on AS "enrolledOn"
       FROM social_insurance.enrolments WHERE id_number = ANY($1) ORDER BY id_number, insurance_type`,
    [idNumbers],
  );
}

/**
 * Every record of the persons, newest first: about 36 months a person, few enough that all
 * filters and the continuity count run in memory on one statement's rows.
 */
export function contributionsOf(db: Db, idNumbers: readonly string[]): Promise<Contribution[]> {
  return db.query<Contribution>(
    `SELECT id_number AS "idNumber", period, insurance_type AS type, insurance_type AS code, base,
            employer_amount AS "employerAmount", personal_amount AS "personalAmount",
            employer_uscc AS "employerUscc", payment_status AS "paymentStatus"
       FROM social_insurance.contributions WHERE id_number = ANY($1)
      ORDER BY id_number, period DESC, insurance_type`,
    [idNumbers],
  );
}

export function pensionsOf(db: Db, idNumbers: readonly string[]): Promise<Pension[]> {
  return db.query<Pension>(
    `SELECT id_number AS "idNumber", retired_on AS "retiredOn", monthly_amount AS "monthlyAmount", status
       FROM social_insurance.pensions WHERE id_number = ANY($1)`,
    [idNumbers],
  );
}

/** One employer head count: which employer, insurance type and month. */
export interface HeadCountKey {
  uscc: string;
  type: InsuranceType;
  period: string;
}

/**
 * Head counts for any mix of employers, types and months in one statement: the keys are
 * unnested into a table and joined on the (employer_uscc, insurance_type, period) index.
 */
export async function insuredHeadCounts(db: Db, keys: readonly HeadCountKey[]): Promise<number[]> {
  const rows = await db.query<{ uscc: string; type: string; period: string; count: number }>(
    `SELECT k.uscc, k.type, k.period, count(DISTINCT c.id_number) AS count
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k (uscc, type, period)
       LEFT JOIN social_insurance.contributions c
         ON c.employer_uscc = k.uscc AND c.insurance_type = k.type AND c.period = k.period
        AND c.payment_status = ANY($4::text[])
      GROUP BY k.uscc, k.type, k.period`,
    [keys.map((k) => k.uscc), keys.map((k) => k.type), keys.map((k) => k.period), [...COUNTED_PAYMENTS]],
  );
  const counts = new Map(rows.map((row) => [headCountKey(row), Number(row.count)]));
  return keys.map((key) => counts.get(headCountKey(key)) ?? 0);
}

const headCountKey = (key: { uscc: string; type: string; period: string }): string =>
  `${key.uscc}|${key.type}|${key.period}`;

/** Per-request loaders: whatever the number of persons or employers, one statement per table read. */
export function createLoaders(db: Db) {
  return {
    enrolments: groupBy(
      (ids: readonly string[]) => enrolmentsOf(db, ids),
      (row) => row.idNumber,
    ),
    contributions: groupBy(
      (ids: readonly string[]) => contributionsOf(db, ids),
      (row) => row.idNumber,
    ),
    pension: batchBy(
      (ids: readonly string[]) => pensionsOf(db, ids),
      (row) => row.idNumber,
    ),
    insuredHeadCount: new DataLoader<HeadCountKey, number, string>((keys) => insuredHeadCounts(db, keys), {
      cacheKeyFn: headCountKey,
    }),
  };
}

export type SocialInsuranceLoaders = ReturnType<typeof createLoaders>;
