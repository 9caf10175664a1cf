import type { Db } from "@onecert/subgraph-kit";
import { randomBytes } from "node:crypto";
import type { SubjectKind } from "@onecert/catalogue";

export type CommitmentState = "PENDING" | "CONFIRMED" | "CONTRADICTED";

/** An applicant's commitment (告知承诺) and what the re-checks found. */
export interface CommitmentRecord {
  id: string;
  matter: string;
  caseNumber: string;
  certificate: string;
  role: string | null;
  subjectKind: SubjectKind;
  subjectKey: string;
  parameters: Record<string, unknown>;
  statement: string;
  status: CommitmentState;
  reason: string;
  /** The reason's code when recorded; null for commitments recorded before reasons had codes. */
  reasonCode: string | null;
  recordedBy: string;
  /** The department of the client that recorded it: only that department's clients see it. */
  department: string;
  operator: string;
  recordedAt: Date;
  checks: number;
  lastCheckedAt: Date | null;
  resolvedAt: Date | null;
  resolution: string | null;
  /** The re-check's reason code once resolved; null while pending. */
  resolutionCode: string | null;
}

export type NewCommitment = Omit<
  CommitmentRecord,
  "id" | "status" | "recordedAt" | "checks" | "lastCheckedAt" | "resolvedAt" | "resolution" | "resolutionCode"
>;

export interface CommitmentStore {
  /** Records a commitment; the same pending one (matter, case, certificate, subject, role) is returned, not doubled. */
  record(input: NewCommitment): Promise<{ record: CommitmentRecord; created: boolean }>;
  /** Pending commitments, oldest first, of one department (when given), matter (and case), or all. */
  pending(filter?: {
    department?: string;
    matter?: string;
    caseNumber?: string | null;
    limit?: number;
  }): Promise<CommitmentRecord[]>;
  /** Notes a re-check: SATISFIED confirms, NOT_SATISFIED contradicts, UNDETERMINED keeps it pending. */
  noteCheck(
    id: string,
    status: string,
    reason: string,
    reasonCode?: string | null,
  ): Promise<CommitmentRecord | null>;
}

const COLUMNS = `id, matter, case_number, certificate, role, subject_kind, subject_key, parameters, statement,
  status, reason, reason_code, recorded_by, department, operator, recorded_at, checks, last_checked_at, resolved_at, resolution, resolution_code`;

interface Row {
  id: string;
  matter: string;
  case_number: string;
  certificate: string;
  role: string | null;
  subject_kind: SubjectKind;
  subject_key: string;
  parameters: string;
  statement: string;
  status: CommitmentState;
  reason: string;
  reason_code: string | null;
  recorded_by: string;
  department: string;
  operator: string;
  recorded_at: Date;
  checks: number;
  last_checked_at: Date | null;
  resolved_at: Date | null;
  resolution: string | null;
  resolution_code: string | null;
}

const toRecord = (row: Row): CommitmentRecord => ({
  id: row.id,
  matter: row.matter,
  caseNumber: row.case_number,
  certificate: row.certificate,
  role: row.role,
  subjectKind: row.subject_kind,
  subjectKey: row.subject_key,
  parameters: JSON.parse(row.parameters) as Record<string, unknown>,
  statement: row.statement,
  status: row.status,
  reason: row.reason,
  reasonCode: row.reason_code,
  recordedBy: row.recorded_by,
  department: row.department,
  operator: row.operator,
  recordedAt: row.recorded_at,
  checks: Number(row.checks),
  lastCheckedAt: row.last_checked_at,
  resolvedAt: row.resolved_at,
  resolution: row.resolution,
  resolutionCode: row.resolution_code,
});

/** Commitments in certificates.commitments of the gateway database. */
export function createCommitmentStore(db: Db, now: () => Date = () => new Date()): CommitmentStore {
  const findPending = async (input: NewCommitment) =>
    db.query<Row>(
      `SELECT ${COLUMNS} FROM certificates.commitments
       WHERE status = 'PENDING' AND matter = $1 AND case_number = $2 AND certificate = $3 AND subject_key = $4
         AND coalesce(role, '') = $5 AND department = $6`,
      [
        input.matter,
        input.caseNumber,
        input.certificate,
        input.subjectKey,
        input.role ?? "",
        input.department,
      ],
    );
  return {
    async record(input) {
      const [existing] = await findPending(input);
      if (existing) return { record: toRecord(existing), created: false };
      const id = `cm_${randomBytes(9).toString("base64url")}`;
      const rows = await db.query<Row>(
        `INSERT INTO certificates.commitments (id, matter, case_number, certificate, role, subject_kind, subject_key,
           parameters, statement, reason, reason_code, recorded_by, department, operator, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
        [
          id,
          input.matter,
          input.caseNumber,
          input.certificate,
          input.role,
          input.subjectKind,
          input.subjectKey,
          JSON.stringify(input.parameters),
          input.statement,
          input.reason,
          input.reasonCode,
          input.recordedBy,
          input.department,
          input.operator,
          now(),
        ],
      );
      if (rows[0]) return { record: toRecord(rows[0]), created: true };
      // Another request recorded the same commitment between the two statements.
      const [raced] = await findPending(input);
      return { record: toRecord(raced), created: false };
    },
    async pending(filter = {}) {
      const rows = await db.query<Row>(
        `SELECT ${COLUMNS} FROM certificates.commitments
         WHERE status = 'PENDING' AND ($1::text IS NULL OR matter = $1) AND ($2::text IS NULL OR case_number = $2)
           AND ($4::text IS NULL OR department = $4)
         ORDER BY recorded_at, id LIMIT $3`,
        [filter.matter ?? null, filter.caseNumber ?? null, filter.limit ?? 500, filter.department ?? null],
      );
      return rows.map(toRecord);
    },
    async noteCheck(id, status, reason, reasonCode = null) {
      const resolved =
        status === "SATISFIED" ? "CONFIRMED" : status === "NOT_SATISFIED" ? "CONTRADICTED" : null;
      const rows = await db.query<Row>(
        `UPDATE certificates.commitments
         SET checks = checks + 1, last_checked_at = $2::timestamptz,
             status = coalesce($3::text, status),
             resolved_at = CASE WHEN $3::text IS NULL THEN NULL ELSE $2::timestamptz END,
             resolution = CASE WHEN $3::text IS NULL THEN NULL ELSE $4::text END,
             resolution_code = CASE WHEN $3::text IS NULL THEN NULL ELSE $5::text END
         WHERE id = $1 AND status = 'PENDING' RETURNING ${COLUMNS}`,
        [id, now(), resolved, reason, reasonCode],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
  };
}
