import type { PartyKind } from "@onecert/synthetic-world";
import type { Queryable } from "@onecert/subgraph-kit";

/** What the change rules of a unit read, locked for the rest of the transaction. */
export interface UnitState {
  unitNumber: string;
  certificateNumber: string;
  registeredOn: string;
  owners: { kind: PartyKind; id: string }[];
  /** Case numbers of the seizures in force. */
  activeSeizures: string[];
}

export interface NewOwner {
  kind: PartyKind;
  id: string;
  share: number;
}

/** The unit's state, locked against concurrent changes until the transaction ends; null when unknown. */
export async function lockUnit(tx: Queryable, unitNumber: string): Promise<UnitState | null> {
  const [unit] = await tx.query<Omit<UnitState, "owners" | "activeSeizures">>(
    `SELECT unit_number AS "unitNumber", certificate_number AS "certificateNumber", registered_on AS "registeredOn"
       FROM property.real_estate WHERE unit_number = $1 FOR UPDATE`,
    [unitNumber],
  );
  if (!unit) return null;
  const owners = await tx.query<{ kind: PartyKind; id: string }>(
    `SELECT owner_kind AS kind, owner_id AS id FROM property.ownerships WHERE unit_number = $1 ORDER BY owner_id`,
    [unitNumber],
  );
  const seizures = await tx.query<{ caseNumber: string }>(
    `SELECT case_number AS "caseNumber" FROM property.seizures WHERE unit_number = $1 AND lifted_on IS NULL ORDER BY id`,
    [unitNumber],
  );
  return { ...unit, owners, activeSeizures: seizures.map((row) => row.caseNumber) };
}

/** Replaces the owners and the certificate of a unit: the registration of a transfer. */
export async function transferUnit(
  tx: Queryable,
  unitNumber: string,
  owners: readonly NewOwner[],
  certificateNumber: string,
  registeredOn: string,
): Promise<void> {
  await tx.query(`DELETE FROM property.ownerships WHERE unit_number = $1`, [unitNumber]);
  await tx.query(
    `INSERT INTO property.ownerships (unit_number, owner_kind, owner_id, share)
     SELECT $1, kind, id, share FROM unnest($2::text[], $3::text[], $4::numeric[]) AS o (kind, id, share)`,
    [unitNumber, owners.map((o) => o.kind), owners.map((o) => o.id), owners.map((o) => o.share)],
  );
  await tx.query(
    `UPDATE property.real_estate SET certificate_number = $2, registered_on = $3 WHERE unit_number = $1`,
    [unitNumber, certificateNumber, registeredOn],
  );
}

/** The next serial for a certificate issued by this registry. */
export async function nextCertificateSerial(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ serial: number }>(`SELECT nextval('property.certificate_serial') AS serial`);
  return Number(row.serial);
}

export async function insertMortgage(
  tx: Queryable,
  unitNumber: string,
  mortgagee: string,
  amount: number,
  registeredOn: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO property.mortgages (unit_number, mortgagee, amount, registered_on) VALUES ($1, $2, $3, $4)`,
    [unitNumber, mortgagee, amount, registeredOn],
  );
}

/** The oldest active mortgage of `mortgagee` on the unit; null when there is none. */
export async function activeMortgage(
  tx: Queryable,
  unitNumber: string,
  mortgagee: string,
): Promise<{ id: number; registeredOn: string } | null> {
  const rows = await tx.query<{ id: number; registeredOn: string }>(
    `SELECT id, registered_on AS "registeredOn" FROM property.mortgages
      WHERE unit_number = $1 AND mortgagee = $2 AND released_on IS NULL ORDER BY registered_on, id LIMIT 1`,
    [unitNumber, mortgagee],
  );
  return rows[0] ?? null;
}

export async function releaseMortgage(tx: Queryable, id: number, releasedOn: string): Promise<void> {
  await tx.query(`UPDATE property.mortgages SET released_on = $2 WHERE id = $1`, [id, releasedOn]);
}

export async function insertSeizure(
  tx: Queryable,
  unitNumber: string,
  authority: string,
  caseNumber: string,
  seizedOn: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO property.seizures (unit_number, authority, case_number, seized_on) VALUES ($1, $2, $3, $4)`,
    [unitNumber, authority, caseNumber, seizedOn],
  );
}
