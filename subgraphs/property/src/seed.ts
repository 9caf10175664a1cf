import { bulkInsert, type Column, type Queryable } from "@onecert/subgraph-kit";
import type {
  MortgageRecord,
  OwnershipRecord,
  RealEstateRecord,
  SeizureRecord,
  WorldBlock,
} from "@onecert/synthetic-world";

const unitColumns: Column<RealEstateRecord>[] = [
  { name: "unit_number", type: "text", value: (r) => r.unitNumber },
  { name: "certificate_number", type: "text", value: (r) => r.certificateNumber },
  { name: "region_code", type: "text", value: (r) => r.regionCode },
  { name: "address", type: "text", value: (r) => r.address },
  { name: "use", type: "text", value: (r) => r.use },
  { name: "area", type: "numeric", value: (r) => r.area },
  { name: "registered_on", type: "date", value: (r) => r.registeredOn },
];

const ownershipColumns: Column<OwnershipRecord>[] = [
  { name: "unit_number", type: "text", value: (o) => o.unitNumber },
  { name: "owner_kind", type: "text", value: (o) => o.ownerKind },
  { name: "owner_id", type: "text", value: (o) => o.ownerId },
  { name: "share", type: "numeric", value: (o) => o.share },
];

const mortgageColumns: Column<MortgageRecord>[] = [
  { name: "unit_number", type: "text", value: (m) => m.unitNumber },
  { name: "mortgagee", type: "text", value: (m) => m.mortgagee },
  { name: "amount", type: "numeric", value: (m) => m.amount },
  { name: "registered_on", type: "date", value: (m) => m.registeredOn },
  { name: "released_on", type: "date", value: (m) => m.releasedOn },
];

const seizureColumns: Column<SeizureRecord>[] = [
  { name: "unit_number", type: "text", value: (s) => s.unitNumber },
  { name: "authority", type: "text", value: (s) => s.authority },
  { name: "case_number", type: "text", value: (s) => s.caseNumber },
  { name: "seized_on", type: "date", value: (s) => s.seizedOn },
  { name: "lifted_on", type: "date", value: (s) => s.liftedOn },
];

export async function seedBlock(db: Queryable, block: WorldBlock): Promise<void> {
  await bulkInsert(db, "property.real_estate", unitColumns, block.realEstate);
  await bulkInsert(db, "property.ownerships", ownershipColumns, block.ownerships);
  await bulkInsert(db, "property.mortgages", mortgageColumns, block.mortgages);
  await bulkInsert(db, "property.seizures", seizureColumns, block.seizures);
}
