import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingStatements } from "@onecert/subgraph-kit/testing";
import { startTestRegistry, type TestRegistry } from "@onecert/synthetic-world/testing";
import { property } from "./index";

const WORLD = { persons: 2000 };
// Valid, but in a region the synthetic world does not use.
const UNKNOWN_UNIT = "320505400202GB00001F00010069";
const UNKNOWN_CERTIFICATE = "苏(2020)南京市不动产权第0001234号";

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startTestRegistry(property, WORLD);
}, 180_000);

afterAll(() => registry?.stop());

const UNIT_FIELDS = `unitNumber certificateNumber address regionCode use area registeredOn mortgaged seized
  owners { share owner { __typename ... on Person { idNumber } ... on Enterprise { uscc } } }
  mortgages { mortgagee amount registeredOn releasedOn active }
  seizures { authority caseNumber seizedOn liftedOn active }`;

interface Unit {
  unitNumber: string;
  certificateNumber: string;
  area: number;
  mortgaged: boolean;
  seized: boolean;
  owners: { share: number; owner: { __typename: string; idNumber?: string; uscc?: string } }[];
  mortgages: { amount: number; releasedOn: string | null; active: boolean }[];
  seizures: { caseNumber: string; liftedOn: string | null; active: boolean }[];
}

async function unit(unitNumber: string): Promise<Unit> {
  const reply = await registry.post<{ realEstate: Unit }>(
    `query ($unitNumber: RealEstateUnitNumber!) { realEstate(unitNumber: $unitNumber) { ${UNIT_FIELDS} } }`,
    { unitNumber },
  );
  expect(reply.errors).toBeUndefined();
  return reply.data!.realEstate;
}

describe("property queries", () => {
  it("shows an active mortgage", async () => {
    const unitNumber = registry.sample("realestate-mortgaged");
    const found = await unit(unitNumber);
    expect(found.unitNumber).toBe(unitNumber);
    expect(found.mortgaged).toBe(true);
    expect(found.mortgages.some((mortgage) => mortgage.active && mortgage.releasedOn === null)).toBe(true);
    expect(found.mortgages[0].amount).toBeGreaterThan(0);
    expect(found.owners.reduce((sum, ownership) => sum + ownership.share, 0)).toBeCloseTo(100, 2);
  });

  it("shows an active seizure", async () => {
    const found = await unit(registry.sample("realestate-seized"));
    expect(found.seized).toBe(true);
    expect(found.seizures.some((seizure) => seizure.active && seizure.liftedOn === null)).toBe(true);
  });

  it("finds a unit by certificate number with either bracket width", async () => {
    const found = await unit(registry.sample("realestate-mortgaged"));
    const fullWidth = found.certificateNumber.replace("(", "（").replace(")", "）");
    for (const certificateNumber of [found.certificateNumber, fullWidth]) {
      const reply = await registry.post<{ realEstateByCertificate: { unitNumber: string } }>(
        `query ($c: CertificateNumber!) { realEstateByCertificate(certificateNumber: $c) { unitNumber } }`,
        { c: certificateNumber },
      );
      expect(reply.errors).toBeUndefined();
      expect(reply.data!.realEstateByCertificate.unitNumber).toBe(found.unitNumber);
    }
  });

  it("gives null for an unknown unit number or certificate", async () => {
    const reply = await registry.post<{ a: null; b: null }>(
      `{ a: realEstate(unitNumber: "${UNKNOWN_UNIT}") { unitNumber }
         b: realEstateByCertificate(certificateNumber: "${UNKNOWN_CERTIFICATE}") { unitNumber } }`,
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ a: null, b: null });
  });

  it("rejects an invalid unit number or certificate as BAD_USER_INPUT before any SQL", async () => {
    const { result, statements } = await countingStatements(registry.db, async () => [
      await registry.post(`{ realEstate(unitNumber: "320505400202gb00001F00010069") { unitNumber } }`),
      await registry.post(`query ($u: RealEstateUnitNumber!) { realEstate(unitNumber: $u) { unitNumber } }`, {
        u: "123",
      }),
      await registry.post(
        `{ realEstateByCertificate(certificateNumber: "苏(2020)南京市不动产权第123号") { unitNumber } }`,
      ),
      await registry.post(
        `query ($c: CertificateNumber!) { realEstateByCertificate(certificateNumber: $c) { unitNumber } }`,
        {
          c: "not a certificate",
        },
      ),
    ]);
    for (const reply of result) expect(reply.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(statements).toEqual([]);
  });
});

describe("property entities", () => {
  const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
    ... on RealEstate { unitNumber mortgaged }
    ... on Person { idNumber realEstate { unitNumber owners { share } mortgages { active } } }
    ... on Enterprise { uscc realEstate { unitNumber use owners { share owner { __typename } } } }
  } }`;

  interface Entity {
    unitNumber?: string;
    idNumber?: string;
    uscc?: string;
    realEstate?: {
      unitNumber: string;
      use?: string;
      owners: { share: number; owner?: { __typename: string } }[];
    }[];
  }

  const entities = (representations: object[]) =>
    countingStatements(registry.db, () =>
      registry.post<{ _entities: (Entity | null)[] }>(ENTITIES, { representations }),
    );

  it("lists the homes of a person with two", async () => {
    const idNumber = registry.sample("person-two-homes");
    const { result } = await entities([{ __typename: "Person", idNumber }]);
    expect(result.errors).toBeUndefined();
    const homes = result.data!._entities[0]!.realEstate!;
    expect(homes.length).toBeGreaterThanOrEqual(2);
  });

  it("lists the property of an enterprise, owned by that enterprise", async () => {
    const uscc = registry.sample("enterprise-owns-property");
    const { result } = await entities([{ __typename: "Enterprise", uscc }]);
    expect(result.errors).toBeUndefined();
    const units = result.data!._entities[0]!.realEstate!;
    expect(units.length).toBeGreaterThan(0);
    expect(units[0].owners.some((ownership) => ownership.owner?.__typename === "Enterprise")).toBe(true);
  });

  it("resolves a batch of persons in order at the same cost for 5 as for 50", async () => {
    const owners = (
      await registry.db.query<{ id: string }>(
        `SELECT DISTINCT owner_id AS id FROM property.ownerships WHERE owner_kind = 'PERSON' ORDER BY id LIMIT 50`,
      )
    ).map((row) => row.id);
    expect(owners).toHaveLength(50);
    const asPersons = (ids: string[]) => ids.map((idNumber) => ({ __typename: "Person", idNumber }));

    const few = await entities(asPersons(owners.slice(0, 5)));
    const many = await entities(asPersons(owners));
    expect(many.result.errors).toBeUndefined();
    const persons = many.result.data!._entities;
    expect(persons.map((person) => person?.idNumber)).toEqual(owners);
    for (const person of persons) expect(person!.realEstate!.length).toBeGreaterThan(0);
    // Units with their owner (one join), then the units' owners and mortgages.
    expect(many.statements).toHaveLength(3);
    expect(few.statements).toHaveLength(3);
  });

  it("resolves persons and enterprises of one request in one statement", async () => {
    const { result, statements } = await entities([
      { __typename: "Person", idNumber: registry.sample("person-two-homes") },
      { __typename: "Enterprise", uscc: registry.sample("enterprise-owns-property") },
    ]);
    expect(result.errors).toBeUndefined();
    expect(statements.filter((sql) => sql.includes("JOIN"))).toHaveLength(1);
  });

  it("resolves a batch of units in order with one statement, null for unknown ones", async () => {
    const units = (
      await registry.db.query<{ unitNumber: string }>(
        `SELECT unit_number AS "unitNumber" FROM property.real_estate ORDER BY unit_number LIMIT 50`,
      )
    ).map((row) => row.unitNumber);
    const representations = [UNKNOWN_UNIT, ...units].map((unitNumber) => ({
      __typename: "RealEstate",
      unitNumber,
    }));
    const { result, statements } = await entities(representations);
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.map((entity) => entity?.unitNumber ?? null)).toEqual([null, ...units]);
    // The units, then the mortgages behind `mortgaged`.
    expect(statements).toHaveLength(2);
  });

  it("gives an empty list for a person who owns nothing", async () => {
    const { result } = await entities([{ __typename: "Person", idNumber: "11010519491231002X" }]);
    expect(result.data!._entities).toEqual([{ idNumber: "11010519491231002X", realEstate: [] }]);
  });
});
