import type { Queryable } from "@onecert/subgraph-kit";
import type { MaritalStatus, PersonStatus } from "./person";

/** What the change rules of a person read, locked for the rest of the transaction. */
export interface PersonState {
  idNumber: string;
  status: PersonStatus;
  birthDate: string;
  maritalStatus: MaritalStatus;
  spouseIdNumber: string | null;
  householdNumber: string;
}

/** The person's state, locked against concurrent changes until the transaction ends; null when unknown. */
export async function lockPerson(tx: Queryable, idNumber: string): Promise<PersonState | null> {
  const rows = await tx.query<PersonState>(
    `SELECT id_number AS "idNumber", status, birth_date AS "birthDate", marital_status AS "maritalStatus",
            spouse_id_number AS "spouseIdNumber", household_number AS "householdNumber"
       FROM population.persons WHERE id_number = $1 FOR UPDATE`,
    [idNumber],
  );
  return rows[0] ?? null;
}

export async function markDeceased(tx: Queryable, idNumber: string, diedOn: string): Promise<void> {
  await tx.query(`UPDATE population.persons SET status = 'DECEASED', deceased_on = $2 WHERE id_number = $1`, [
    idNumber,
    diedOn,
  ]);
}

/**
 * Records the surviving spouse as WIDOWED without a spouse, as the registry holds widowed
 * persons; returns their household, or null when they were not recorded as married to `deceased`.
 */
export async function markWidowed(
  tx: Queryable,
  survivor: string,
  deceased: string,
): Promise<{ householdNumber: string } | null> {
  const rows = await tx.query<{ householdNumber: string }>(
    `UPDATE population.persons SET marital_status = 'WIDOWED', spouse_id_number = NULL
      WHERE id_number = $1 AND marital_status = 'MARRIED' AND spouse_id_number = $2
      RETURNING household_number AS "householdNumber"`,
    [survivor, deceased],
  );
  return rows[0] ?? null;
}

export async function updateAddress(
  tx: Queryable,
  idNumber: string,
  address: string,
  regionCode: string,
): Promise<void> {
  await tx.query(`UPDATE population.persons SET address = $2, region_code = $3 WHERE id_number = $1`, [
    idNumber,
    address,
    regionCode,
  ]);
}
