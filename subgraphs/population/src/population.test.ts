import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { birthDateFromIdNumber, idNumberCheckChar, sexFromIdNumber } from "@onecert/subgraph-kit";
import { countingStatements } from "@onecert/subgraph-kit/testing";
import { startTestRegistry, type TestRegistry } from "@onecert/synthetic-world/testing";
import { population } from "./index";

const WORLD = { persons: 2000, asOf: "202609" };
// Valid check character and birth date, but nobody in the synthetic world.
const UNKNOWN_ID = "11010519491231002X";

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startTestRegistry(population, WORLD);
}, 180_000);

afterAll(() => registry?.stop());

const PERSON_FIELDS = `idNumber name sex birthDate ethnicity status deceasedOn maritalStatus regionCode address phone
  householdRelation household { number } spouse { idNumber maritalStatus householdRelation spouse { idNumber } }`;

interface PersonReply {
  idNumber: string;
  name: string;
  sex: string;
  birthDate: string;
  status: string;
  deceasedOn: string | null;
  maritalStatus: string;
  regionCode: string;
  householdRelation: string;
  household: { number: string } | null;
  spouse: {
    idNumber: string;
    maritalStatus: string;
    householdRelation: string;
    spouse: { idNumber: string } | null;
  } | null;
}

async function person(idNumber: string): Promise<PersonReply> {
  const reply = await registry.post<{ person: PersonReply }>(
    `query ($idNumber: IdNumber!) { person(idNumber: $idNumber) { ${PERSON_FIELDS} } }`,
    { idNumber },
  );
  expect(reply.errors).toBeUndefined();
  return reply.data!.person;
}

describe("population queries", () => {
  it("returns a seeded person consistent with their ID number", async () => {
    const idNumber = registry.sample("person-showcase");
    const found = await person(idNumber);
    expect(found).toMatchObject({ idNumber, status: "ACTIVE", deceasedOn: null, maritalStatus: "MARRIED" });
    expect(found.name).toBeTruthy();
    expect(found.sex).toBe(sexFromIdNumber(idNumber));
    expect(found.birthDate).toBe(birthDateFromIdNumber(idNumber));
    expect(found.regionCode).toMatch(/^9901\d{2}$/);
    expect(found.householdRelation).toBe("HEAD");
    expect(found.household?.number).toBe(registry.sample("household-multi-member"));
    expect(found.spouse?.spouse?.idNumber).toBe(idNumber);
  });

  it("records the date of death of a deceased person", async () => {
    const found = await person(registry.sample("person-deceased"));
    // Eight months before asOf, on the 15th.
    expect(found).toMatchObject({ status: "DECEASED", deceasedOn: "2026-01-15", maritalStatus: "WIDOWED" });
    expect(found.deceasedOn! > found.birthDate).toBe(true);
  });

  it("records an emigrated person as alive", async () => {
    expect(await person(registry.sample("person-emigrated"))).toMatchObject({
      status: "EMIGRATED",
      deceasedOn: null,
    });
  });

  it("links the spouses of a married couple in one household", async () => {
    const a = registry.sample("couple-newborn-parent-a");
    const b = registry.sample("couple-newborn-parent-b");
    const found = await person(a);
    expect(found).toMatchObject({ maritalStatus: "MARRIED", householdRelation: "HEAD" });
    expect(found.spouse).toEqual({
      idNumber: b,
      maritalStatus: "MARRIED",
      householdRelation: "SPOUSE",
      spouse: { idNumber: a },
    });
    expect((await person(b)).household).toEqual(found.household);
  });

  it("lists a household's members with exactly one head", async () => {
    const number = registry.sample("household-multi-member");
    const reply = await registry.post<{
      household: {
        number: string;
        head: { idNumber: string } | null;
        members: { relation: string; person: { idNumber: string; name: string } }[];
      };
    }>(
      `query ($number: String!) { household(number: $number) {
        number regionCode address head { idNumber } members { relation person { idNumber name } } } }`,
      { number },
    );
    expect(reply.errors).toBeUndefined();
    const household = reply.data!.household;
    expect(household.number).toBe(number);
    expect(household.head?.idNumber).toBe(registry.sample("person-showcase"));
    expect(household.members.length).toBeGreaterThanOrEqual(4);
    const heads = household.members.filter((member) => member.relation === "HEAD");
    expect(heads.map((member) => member.person.idNumber)).toEqual([household.head!.idNumber]);
    expect(household.members.map((member) => member.relation)).toEqual(
      expect.arrayContaining(["SPOUSE", "CHILD", "PARENT"]),
    );
  });

  it("returns several persons in the order asked, leaving unknown ones out", async () => {
    const ids = ["couple-newborn-parent-b", "person-showcase", "couple-newborn-parent-a"].map((c) =>
      registry.sample(c),
    );
    const reply = await registry.post<{ persons: { idNumber: string }[] }>(
      `query ($ids: [IdNumber!]!) { persons(idNumbers: $ids) { idNumber } }`,
      { ids: [ids[0], UNKNOWN_ID, ids[1], ids[2]] },
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.persons.map((found) => found.idNumber)).toEqual(ids);
  });

  it("accepts 200 persons in one query and refuses 201 before any SQL", async () => {
    const query = `query ($ids: [IdNumber!]!) { persons(idNumbers: $ids) { idNumber } }`;
    const atLimit = await registry.post(query, { ids: Array.from({ length: 200 }, () => UNKNOWN_ID) });
    expect(atLimit.errors).toBeUndefined();
    expect(atLimit.data).toEqual({ persons: [] });
    const { result, statements } = await countingStatements(registry.db, () =>
      registry.post(query, { ids: Array.from({ length: 201 }, () => UNKNOWN_ID) }),
    );
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(statements).toEqual([]);
  });

  it("gives null for an unknown but valid ID number", async () => {
    const reply = await registry.post<{ person: null }>(`{ person(idNumber: "${UNKNOWN_ID}") { name } }`);
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.person).toBeNull();
  });

  it.each([
    ["a wrong check character", "110105194912310021"],
    ["a birth date in the future", `11010520991231001${idNumberCheckChar("11010520991231001")}`],
    ["a lower-case x", "11010519491231002x"],
  ])("rejects an ID number with %s as BAD_USER_INPUT before any SQL", async (_name, bad) => {
    const { result, statements } = await countingStatements(registry.db, async () => [
      await registry.post(`{ person(idNumber: "${bad}") { name } }`),
      await registry.post(`query ($id: IdNumber!) { person(idNumber: $id) { name } }`, { id: bad }),
      await registry.post(`query ($ids: [IdNumber!]!) { persons(idNumbers: $ids) { name } }`, {
        ids: [UNKNOWN_ID, bad],
      }),
    ]);
    for (const reply of result) expect(reply.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(statements).toEqual([]);
  });

  it("rejects a malformed household number as BAD_USER_INPUT before any SQL", async () => {
    const number = registry.sample("household-multi-member");
    const { result, statements } = await countingStatements(registry.db, async () => [
      await registry.post(`{ household(number: "${number.toLowerCase()}") { number } }`),
      await registry.post(`query ($n: String!) { household(number: $n) { number } }`, { n: `${number}0` }),
      await registry.post(`query ($n: String!) { household(number: $n) { number } }`, { n: "" }),
    ]);
    for (const reply of result) expect(reply.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(statements).toEqual([]);
  });
});

describe("population entities", () => {
  const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
    ... on Person { idNumber name household { members { person { name } } } spouse { name } }
  } }`;

  interface Entity {
    idNumber: string;
    name: string;
    household: { members: { person: { name: string } }[] } | null;
    spouse: { name: string } | null;
  }

  const entities = (idNumbers: string[]) =>
    countingStatements(registry.db, () =>
      registry.post<{ _entities: (Entity | null)[] }>(ENTITIES, {
        representations: idNumbers.map((idNumber) => ({ __typename: "Person", idNumber })),
      }),
    );

  it("resolves a batch of persons in order at the same cost for 5 as for 50", async () => {
    const expected = await registry.db.query<{
      idNumber: string;
      name: string;
      spouseName: string | null;
      members: number;
    }>(
      `SELECT p.id_number AS "idNumber", p.name, s.name AS "spouseName",
         (SELECT count(*) FROM population.persons m WHERE m.household_number = p.household_number) AS members
       FROM population.persons p LEFT JOIN population.persons s ON s.id_number = p.spouse_id_number
       ORDER BY p.id_number DESC LIMIT 50`,
    );
    expect(expected).toHaveLength(50);
    const ids = expected.map((row) => row.idNumber);
    // Married and single alike in the five too, so that both batches read spouses.
    const married = expected.filter((row) => row.spouseName !== null).map((row) => row.idNumber);
    const single = expected.filter((row) => row.spouseName === null).map((row) => row.idNumber);
    expect(married.length).toBeGreaterThanOrEqual(3);
    expect(single.length).toBeGreaterThanOrEqual(2);

    const few = await entities([...married.slice(0, 3), ...single.slice(0, 2)]);
    const many = await entities(ids);
    expect(many.result.errors).toBeUndefined();
    const found = many.result.data!._entities.map((entity) => ({
      idNumber: entity!.idNumber,
      name: entity!.name,
      spouseName: entity!.spouse?.name ?? null,
      members: entity!.household!.members.length,
    }));
    expect(found).toEqual(expected);
    for (const entity of many.result.data!._entities) {
      expect(entity!.household!.members.map((member) => member.person.name)).toContain(entity!.name);
    }
    // The persons, then their households and spouses, then the households' members.
    expect(many.statements).toHaveLength(4);
    expect(few.statements).toHaveLength(many.statements.length);
  });

  it("gives null for a person not in the registry", async () => {
    const { result } = await entities([UNKNOWN_ID]);
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([null]);
  });

  it("fails only the entity whose key is malformed, before it reaches SQL", async () => {
    const showcase = registry.sample("person-showcase");
    const { result, statements } = await entities(["110105194912310021", showcase]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions!.code).toBe("BAD_USER_INPUT");
    expect(result.errors![0].path).toEqual(["_entities", 0]);
    expect(result.data!._entities[0]).toBeNull();
    expect(result.data!._entities[1]!.idNumber).toBe(showcase);
    const alone = await entities([showcase]);
    expect(statements).toHaveLength(alone.statements.length);
  });
});
