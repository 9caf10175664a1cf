import { bulkInsert, type Column, type Queryable } from "@onecert/subgraph-kit";
import type { EnterpriseRecord, ShareholdingRecord, WorldBlock } from "@onecert/synthetic-world";

const enterpriseColumns: Column<EnterpriseRecord>[] = [
  { name: "uscc", type: "text", value: (e) => e.uscc },
  { name: "name", type: "text", value: (e) => e.name },
  { name: "kind", type: "text", value: (e) => e.kind },
  { name: "status", type: "text", value: (e) => e.status },
  { name: "registered_capital", type: "numeric", value: (e) => e.registeredCapital },
  { name: "established_on", type: "date", value: (e) => e.establishedOn },
  { name: "region_code", type: "text", value: (e) => e.regionCode },
  { name: "address", type: "text", value: (e) => e.address },
  { name: "business_scope", type: "text", value: (e) => e.businessScope },
  { name: "legal_rep_id_number", type: "text", value: (e) => e.legalRepresentativeIdNumber },
];

const shareholdingColumns: Column<ShareholdingRecord>[] = [
  { name: "uscc", type: "text", value: (s) => s.uscc },
  { name: "holder_kind", type: "text", value: (s) => s.holderKind },
  { name: "holder_id", type: "text", value: (s) => s.holderId },
  { name: "share", type: "numeric", value: (s) => s.share },
];

export async function seedBlock(db: Queryable, block: WorldBlock): Promise<void> {
  await bulkInsert(db, "legal_entity.enterprises", enterpriseColumns, block.enterprises);
  await bulkInsert(db, "legal_entity.shareholdings", shareholdingColumns, block.shareholdings);
}
