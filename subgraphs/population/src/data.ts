import { batchBy, groupBy, type Db } from "@onecert/subgraph-kit";
import type { Household } from "./household";
import type { Person } from "./person";

const PERSON_COLUMNS = `id_number AS "idNumber", name, sex, birth_date AS "birthDate", ethnicity, status,
  deceased_on AS "deceasedOn", marital_status AS "maritalStatus", spouse_id_number AS "spouseIdNumber",
  region_code AS "regionCode", address, phone, household_number AS "householdNumber", relation`;

export function personsByIdNumbers(db: Db, idNumbers: readonly string[]): Promise<Person[]> {
  return db.query<Person>(`SELECT ${PERSON_COLUMNS} FROM population.persons WHERE id_number = ANY($1)`, [
    idNumbers,
  ]);
}

export function membersOfHouseholds(db: Db, numbers: readonly string[]): Promise<Person[]> {
  return db.query<Person>(
    `SELECT ${PERSON_COLUMNS} FROM population.persons WHERE household_number = ANY($1) ORDER BY id_number`,
    [numbers],
  );
}

export function householdsByNumbers(db: Db, numbers: readonly string[]): Promise<Household[]> {
  return db.query<Household>(
    `SELECT number, region_code AS "regionCode", address, head_id_number AS "headIdNumber"
       FROM population.households WHERE number = ANY($1)`,
    [numbers],
  );
}

/** Per-request loaders: every person or household read in one request is one statement per table. */
export function createLoaders(db: Db) {
  return {
    person: batchBy(
      (ids: readonly string[]) => personsByIdNumbers(db, ids),
      (row) => row.idNumber,
    ),
    household: batchBy(
      (numbers: readonly string[]) => householdsByNumbers(db, numbers),
      (row) => row.number,
    ),
    members: groupBy(
      (numbers: readonly string[]) => membersOfHouseholds(db, numbers),
      (row) => row.householdNumber,
    ),
  };
}

export type PopulationLoaders = ReturnType<typeof createLoaders>;
