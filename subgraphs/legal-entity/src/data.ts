import { batchBy, groupBy, type Db } from "@onecert/subgraph-kit";
import { changesLoader } from "./changes";
import type { Enterprise } from "./enterprise";
import type { Shareholding } from "./shareholding";

const ENTERPRISE_COLUMNS = `uscc, name, kind, status, registered_capital AS "registeredCapital",
  established_on AS "establishedOn", region_code AS "regionCode", address, business_scope AS "businessScope",
  legal_rep_id_number AS "legalRepresentativeIdNumber"`;

export function enterprisesByUsccs(db: Db, usccs: readonly string[]): Promise<Enterprise[]> {
  return db.query<Enterprise>(
    `SELECT ${ENTERPRISE_COLUMNS} FROM legal_entity.enterprises WHERE uscc = ANY($1)`,
    [usccs],
  );
}

export function enterprisesByLegalRepresentatives(
  db: Db,
  idNumbers: readonly string[],
): Promise<Enterprise[]> {
  return db.query<Enterprise>(
    `SELECT ${ENTERPRISE_COLUMNS} FROM legal_entity.enterprises
      WHERE legal_rep_id_number = ANY($1) ORDER BY established_on, uscc`,
    [idNumbers],
  );
}

export function shareholdingsOfEnterprises(db: Db, usccs: readonly string[]): Promise<Shareholding[]> {
  return db.query<Shareholding>(
    `SELECT uscc, holder_kind AS "holderKind", holder_id AS "holderId", share
       FROM legal_entity.shareholdings WHERE uscc = ANY($1) ORDER BY share DESC, holder_kind, holder_id`,
    [usccs],
  );
}

/** Per-request loaders: every enterprise or shareholding read in one request is one statement per table. */
export function createLoaders(db: Db) {
  const enterprise = batchBy(
    (usccs: readonly string[]) => enterprisesByUsccs(db, usccs),
    (row) => row.uscc,
  );
  return {
    enterprise,
    represented: groupBy(
      async (idNumbers: readonly string[]) => {
        const rows = await enterprisesByLegalRepresentatives(db, idNumbers);
        // A later read of the same enterprise by USCC then costs no statement.
        for (const row of rows) enterprise.prime(row.uscc, row);
        return rows;
      },
      (row) => row.legalRepresentativeIdNumber,
    ),
    shareholdings: groupBy(
      (usccs: readonly string[]) => shareholdingsOfEnterprises(db, usccs),
      (row) => row.uscc,
    ),
    changes: changesLoader(db),
  };
}

export type LegalEntityLoaders = ReturnType<typeof createLoaders>;
