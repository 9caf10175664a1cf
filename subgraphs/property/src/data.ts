import { batchBy, groupBy, type Db } from "@onecert/subgraph-kit";
import { type PartyKind } from "@onecert/synthetic-world";
import type { Mortgage } from "./mortgage";
import type { OwnershipRow } from "./ownership";
import type { RealEstate } from "./real-estate";
import type { Seizure } from "./seizure";

const UNIT_COLUMNS = `r.unit_number AS "unitNumber", r.certificate_number AS "certificateNumber",
  r.region_code AS "regionCode", r.address, r.use, r.area, r.registered_on AS "registeredOn"`;

type OwnedUnit = RealEstate & Pick<OwnershipRow, "ownerKind" | "ownerId">;

/** Loader key of a party: an ID number and a USCC may not be told apart by their text alone. */
export const partyKey = (kind: PartyKind, id: string): string => `${kind}:${id}`;

export function unitsByNumbers(db: Db, unitNumbers: readonly string[]): Promise<RealEstate[]> {
  return db.query<RealEstate>(
    `SELECT ${UNIT_COLUMNS} FROM property.real_estate r WHERE r.unit_number = ANY($1)`,
    [unitNumbers],
  );
}

export function unitsByCertificates(db: Db, certificateNumbers: readonly string[]): Promise<RealEstate[]> {
  return db.query<RealEstate>(
    `SELECT ${UNIT_COLUMNS} FROM property.real_estate r WHERE r.certificate_number = ANY($1)`,
    [certificateNumbers],
  );
}

/** Units any of `ownerIds` owns a share of, with the owner on each row; one join for all parties. */
export function unitsOwnedBy(db: Db, ownerIds: readonly string[]): Promise<OwnedUnit[]> {
  return db.query<OwnedUnit>(
    `SELECT o.owner_kind AS "ownerKind", o.owner_id AS "ownerId", ${UNIT_COLUMNS}
       FROM property.ownerships o JOIN property.real_estate r ON r.unit_number = o.unit_number
      WHERE o.owner_id = ANY($1) ORDER BY r.registered_on, r.unit_number`,
    [ownerIds],
  );
}

export function ownershipsOfUnits(db: Db, unitNumbers: readonly string[]): Promise<OwnershipRow[]> {
  return db.query<OwnershipRow>(
    `SELECT unit_number AS "unitNumber", owner_kind AS "ownerKind", owner_id AS "ownerId", share
       FROM property.ownerships WHERE unit_number = ANY($1) ORDER BY share DESC, owner_kind, owner_id`,
    [unitNumbers],
  );
}

export function mortgagesOfUnits(db: Db, unitNumbers: readonly string[]): Promise<Mortgage[]> {
  return db.query<Mortgage>(
    `SELECT unit_number AS "unitNumber", mortgagee, amount, registered_on AS "registeredOn",
            released_on AS "releasedOn", released_on IS NULL AS active
       FROM property.mortgages WHERE unit_number = ANY($1) ORDER BY registered_on, id`,
    [unitNumbers],
  );
}

export function seizuresOfUnits(db: Db, unitNumbers: readonly string[]): Promise<Seizure[]> {
  return db.query<Seizure>(
    `SELECT unit_number AS "unitNumber", authority, case_number AS "caseNumber", seized_on AS "seizedOn",
            lifted_on AS "liftedOn", lifted_on IS NULL AS active
       FROM property.seizures WHERE unit_number = ANY($1) ORDER BY seized_on, id`,
    [unitNumbers],
  );
}

/** Per-request loaders: every unit, ownership, mortgage or seizure read in one request is one statement per table. */
export function createLoaders(db: Db) {
  const unit = batchBy(
    (numbers: readonly string[]) => unitsByNumbers(db, numbers),
    (row) => row.unitNumber,
  );
  // Later reads of a unit found another way then cost no statement.
  const primed = <Row extends RealEstate>(rows: Row[]): Row[] => {
    for (const row of rows) unit.prime(row.unitNumber, row);
    return rows;
  };
  return {
    unit,
    unitByCertificate: batchBy(
      async (certificates: readonly string[]) => primed(await unitsByCertificates(db, certificates)),
      (row) => row.certificateNumber,
    ),
    // Keys are partyKey(kind, id), so persons and enterprises of one request share the statement.
    unitsOwnedBy: groupBy(
      async (keys: readonly string[]) => primed(await unitsOwnedBy(db, [...new Set(keys.map(idOfKey))])),
      (row) => partyKey(row.ownerKind, row.ownerId),
    ),
    owners: groupBy(
      (numbers: readonly string[]) => ownershipsOfUnits(db, numbers),
      (row) => row.unitNumber,
    ),
    mortgages: groupBy(
      (numbers: readonly string[]) => mortgagesOfUnits(db, numbers),
      (row) => row.unitNumber,
    ),
    seizures: groupBy(
      (numbers: readonly string[]) => seizuresOfUnits(db, numbers),
      (row) => row.unitNumber,
    ),
  };
}

function idOfKey(key: string): string {
  return key.slice(key.indexOf(":") + 1);
}

export type PropertyLoaders = ReturnType<typeof createLoaders>;
