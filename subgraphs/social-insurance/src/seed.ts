import { bulkInsert, type Column, type Queryable } from "@onecert/subgraph-kit";
import type {
  ContributionRecord,
  EnrolmentRecord,
  PensionRecord,
  WorldBlock,
} from "@onecert/synthetic-world";

const enrolmentColumns: Column<EnrolmentRecord>[] = [
  { name: "id_number", type: "text", value: (e) => e.idNumber },
  { name: "insurance_type", type: "text", value: (e) => e.insuranceType },
  { name: "status", type: "text", value: (e) => e.status },
  { name: "employer_uscc", type: "text", value: (e) => e.employerUscc },
  { name: "enrolled_on", type: "date", value: (e) => e.enrolledOn },
];

const contributionColumns: Column<ContributionRecord>[] = [
  { name: "id_number", type: "text", value: (c) => c.idNumber },
  { name: "period", type: "text", value: (c) => c.period },
  { name: "insurance_type", type: "text", value: (c) => c.insuranceType },
  { name: "base", type: "numeric", value: (c) => c.base },
  { name: "employer_amount", type: "numeric", value: (c) => c.employerAmount },
  { name: "personal_amount", type: "numeric", value: (c) => c.personalAmount },
  { name: "employer_uscc", type: "text", value: (c) => c.employerUscc },
  { name: "payment_status", type: "text", value: (c) => c.paymentStatus },
];

const pensionColumns: Column<PensionRecord>[] = [
  { name: "id_number", type: "text", value: (p) => p.idNumber },
  { name: "retired_on", type: "date", value: (p) => p.retiredOn },
  { name: "monthly_amount", type: "numeric", value: (p) => p.monthlyAmount },
  { name: "status", type: "text", value: (p) => p.status },
];

export async function seedBlock(db: Queryable, block: WorldBlock): Promise<void> {
  await bulkInsert(db, "social_insurance.enrolments", enrolmentColumns, block.enrolments);
  await bulkInsert(db, "social_insurance.contributions", contributionColumns, block.contributions);
  await bulkInsert(db, "social_insurance.pensions", pensionColumns, block.pensions);
}
