import type { Queryable } from "@onecert/subgraph-kit";
import type { RegistrationChangeKind } from "./changes";
import type { EnterpriseStatus } from "./enterprise";

/** What the change rules of an enterprise read, locked for the rest of the transaction. */
export interface EnterpriseState {
  uscc: string;
  status: EnterpriseStatus;
  establishedOn: string;
  legalRepresentativeIdNumber: string;
  /** Effective date of the latest registered change; null when none. */
  lastChangeOn: string | null;
}

/** The enterprise's state, locked against concurrent changes until the transaction ends; null when unknown. */
export async function lockEnterprise(tx: Queryable, uscc: string): Promise<EnterpriseState | null> {
  const rows = await tx.query<EnterpriseState>(
    `SELECT uscc, status, established_on AS "establishedOn", legal_rep_id_number AS "legalRepresentativeIdNumber",
            (SELECT max(effective_on) FROM legal_entity.registration_changes c WHERE c.uscc = e.uscc)
              AS "lastChangeOn"
       FROM legal_entity.enterprises e WHERE uscc = $1 FOR UPDATE`,
    [uscc],
  );
  return rows[0] ?? null;
}

/** Enterprises in which `uscc` holds shares: their shareholder lists show its status and representative. */
export async function enterprisesHeldBy(tx: Queryable, uscc: string): Promise<string[]> {
  const rows = await tx.query<{ uscc: string }>(
    `SELECT uscc FROM legal_entity.shareholdings WHERE holder_kind = 'ENTERPRISE' AND holder_id = $1 ORDER BY uscc`,
    [uscc],
  );
  return rows.map((row) => row.uscc);
}

export async function setStatus(tx: Queryable, uscc: string, status: EnterpriseStatus): Promise<void> {
  await tx.query(`UPDATE legal_entity.enterprises SET status = $2 WHERE uscc = $1`, [uscc, status]);
}

export async function setLegalRepresentative(tx: Queryable, uscc: string, idNumber: string): Promise<void> {
  await tx.query(`UPDATE legal_entity.enterprises SET legal_rep_id_number = $2 WHERE uscc = $1`, [
    uscc,
    idNumber,
  ]);
}

export async function recordRegistrationChange(
  tx: Queryable,
  change: {
    uscc: string;
    kind: RegistrationChangeKind;
    before: string;
    after: string;
    effectiveOn: string;
    reason: string | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO legal_entity.registration_changes (uscc, kind, before, after, effective_on, reason)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [change.uscc, change.kind, change.before, change.after, change.effectiveOn, change.reason],
  );
}
