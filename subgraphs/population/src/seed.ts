import { bulkInsert, type Column, type Queryable } from "@onecert/subgraph-kit";
import type { HouseholdRecord, PersonRecord, WorldBlock } from "@onecert/synthetic-world";

const householdColumns: Column<HouseholdRecord>[] = [
  { name: "number", type: "text", value: (h) => h.number },
  { name: "region_code", type: "text", value: (h) => h.regionCode },
  { name: "address", type: "text", value: (h) => h.address },
  { name: "head_id_number", type: "text", value: (h) => h.headIdNumber },
];

const personColumns: Column<PersonRecord>[] = [
  { name: "id_number", type: "text", value: (p) => p.idNumber },
  { name: "name", type: "text", value: (p) => p.name },
  { name: "sex", type: "text", value: (p) => p.sex },
  { name: "birth_date", type: "date", value: (p) => p.birthDate },
  { name: "ethnicity", type: "text", value: (p) => p.ethnicity },
  { name: "status", type: "text", value: (p) => p.status },
  { name: "deceased_on", type: "date", value: (p) => p.deceasedOn },
  { name: "marital_status", type: "text", value: (p) => p.maritalStatus },
  { name: "spouse_id_number", type: "text", value: (p) => p.spouseIdNumber },
  { name: "region_code", type: "text", value: (p) => p.regionCode },
  { name: "address", type: "text", value: (p) => p.address },
  { name: "phone", type: "text", value: (p) => p.phone },
  { name: "household_number", type: "text", value: (p) => p.householdNumber },
  { name: "relation", type: "text", value: (p) => p.relation },
];

export async function seedBlock(db: Queryable, block: WorldBlock): Promise<void> {
  await bulkInsert(db, "population.households", householdColumns, block.households);
  await bulkInsert(db, "population.persons", personColumns, block.persons);
}
