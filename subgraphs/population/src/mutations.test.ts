import { collectEvents, eventually, outboxRows, writerOf } from "@onecert/subgraph-kit/testing";
import { idNumberCheckChar, todayIso, type InvalidationEvent } from "@onecert/subgraph-kit";
import { startTestRegistry, type TestRegistry } from "@onecert/synthetic-world/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { population } from "./index";

// Valid check character and birth date, but nobody in the synthetic world.
const UNKNOWN_ID = "11010519491231002X";
const PERSON = `idNumber status deceasedOn maritalStatus address regionCode spouse { idNumber } household { number }`;
const DEATH = `mutation ($id: IdNumber!, $on: Date!) { registerDeath(idNumber: $id, diedOn: $on) { ${PERSON} } }`;
const MOVE = `mutation ($id: IdNumber!, $address: String!, $region: String!) {
  changeAddress(idNumber: $id, address: $address, regionCode: $region) { ${PERSON} } }`;

interface PersonReply {
  idNumber: string;
  status: string;
  deceasedOn: string | null;
  maritalStatus: string;
  address: string;
  regionCode: string;
  spouse: { idNumber: string } | null;
  household: { number: string };
}

let registry: TestRegistry;
let bus: Awaited<ReturnType<typeof collectEvents>>;

beforeAll(async () => {
  registry = await startTestRegistry(population, { persons: 200 });
  bus = await collectEvents();
}, 180_000);

afterAll(async () => {
  await bus?.stop();
  await registry?.stop();
});

async function person(idNumber: string): Promise<PersonReply> {
  const reply = await registry.post<{ person: PersonReply }>(
    `query ($id: IdNumber!) { person(idNumber: $id) { ${PERSON} } }`,
    { id: idNumber },
  );
  expect(reply.errors).toBeUndefined();
  return reply.data!.person;
}

/** Runs a refused change and checks its code, that nothing reached the outbox and the subject is unchanged. */
async function refused(query: string, variables: Record<string, unknown>, code: string, rule: RegExp) {
  const idNumber = variables.id as string;
  const before = await outboxRows(registry.db, "population");
  const known = (await registry.db.query("SELECT 1 FROM population.persons WHERE id_number = $1", [idNumber]))
    .length;
  const state = known ? await person(idNumber) : null;
  const reply = await registry.post(query, variables);
  expect(reply.errors?.[0]?.extensions?.code).toBe(code);
  expect(reply.errors?.[0]?.message).toMatch(rule);
  expect(await outboxRows(registry.db, "population")).toHaveLength(before.length);
  if (state) expect(await person(idNumber)).toEqual(state);
}

const sentEvent = (key: string) => () => bus.events.find((event: InvalidationEvent) => event.key === key);

describe("registerDeath", () => {
  it("records the death, widows the spouse and announces both in the same transaction", async () => {
    const a = registry.sample("couple-newborn-parent-a");
    const b = registry.sample("couple-newborn-parent-b");
    const household = (await person(a)).household.number;
    const diedOn = todayIso();
    const reply = await registry.post<{ registerDeath: PersonReply }>(DEATH, { id: a, on: diedOn });
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.registerDeath).toMatchObject({ idNumber: a, status: "DECEASED", deceasedOn: diedOn });
    expect(await person(a)).toMatchObject({ status: "DECEASED", deceasedOn: diedOn });
    expect(await person(b)).toMatchObject({ status: "ACTIVE", maritalStatus: "WIDOWED", spouse: null });

    const rows = (await outboxRows(registry.db, "population")).filter((row) => [a, b].includes(row.key!));
    expect(rows.map((row) => [row.type, row.key, row.tags])).toEqual([
      ["Person", a, [`Household:${household}`]],
      ["Person", b, [`Household:${household}`]],
    ]);
    const writers = await writerOf(registry.db, "population.persons", "id_number = ANY($1)", [[a, b]]);
    expect(new Set([...writers, ...rows.map((row) => row.txid)]).size).toBe(1);

    const published = await eventually(sentEvent(b), "the spouse's event on the bus");
    expect(published).toMatchObject({ id: rows[1].id, source: "population", type: "Person" });
    expect(Date.parse(published.at)).not.toBeNaN();
    expect(bus.events.findIndex((event) => event.key === a)).toBeLessThan(bus.events.indexOf(published));
    await eventually(
      async () => (await outboxRows(registry.db, "population")).every((row) => row.sent),
      "the rows marked sent",
    );
  });

  it("refuses a person who is not ACTIVE, unknown, or a date out of range", async () => {
    const deceased = registry.sample("person-deceased");
    const emigrated = registry.sample("person-emigrated");
    const active = registry.sample("person-one-home");
    const birth = (await person(active)).idNumber.slice(6, 14).replace(/^(\d{4})(\d{2})(\d{2})$/, "$1-$2-$3");
    const dayBefore = new Date(Date.parse(`${birth}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await refused(DEATH, { id: deceased, on: "2020-01-01" }, "CONFLICT", /ACTIVE.*DECEASED/);
    await refused(DEATH, { id: emigrated, on: "2020-01-01" }, "CONFLICT", /EMIGRATED/);
    await refused(DEATH, { id: UNKNOWN_ID, on: "2020-01-01" }, "NOT_FOUND", /no person/);
    await refused(DEATH, { id: active, on: "2999-01-01" }, "BAD_USER_INPUT", /diedOn.*future/);
    await refused(DEATH, { id: active, on: dayBefore }, "BAD_USER_INPUT", /before the birth date/);
    await refused(DEATH, { id: active, on: "2020-02-30" }, "BAD_USER_INPUT", /not a real calendar date/);
  });
});

describe("changeAddress", () => {
  it("moves an ACTIVE person and announces it", async () => {
    const id = registry.sample("person-showcase");
    const household = (await person(id)).household.number;
    const address = "  合成省合成市第三区样例路 8 号  ";
    const reply = await registry.post<{ changeAddress: PersonReply }>(MOVE, {
      id,
      address,
      region: "990103",
    });
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.changeAddress).toMatchObject({ address: address.trim(), regionCode: "990103" });
    expect(await person(id)).toMatchObject({
      address: address.trim(),
      regionCode: "990103",
      status: "ACTIVE",
    });
    const row = (await outboxRows(registry.db, "population")).find((candidate) => candidate.key === id)!;
    expect(row).toMatchObject({ type: "Person", tags: [`Household:${household}`] });
    expect(await writerOf(registry.db, "population.persons", "id_number = $1", [id])).toEqual([row.txid]);
    expect(await eventually(sentEvent(id), "the event on the bus")).toMatchObject({ id: row.id });
  });

  it("refuses a person who is not ACTIVE or unknown, and malformed input", async () => {
    const id = registry.sample("person-two-homes");
    const ok = { id, address: "合成省合成市第一区", region: "990101" };
    const longest = "路".repeat(200);
    expect((await registry.post(MOVE, { ...ok, address: longest })).errors).toBeUndefined();
    await refused(MOVE, { ...ok, id: registry.sample("person-deceased") }, "CONFLICT", /DECEASED/);
    await refused(MOVE, { ...ok, id: registry.sample("person-emigrated") }, "CONFLICT", /EMIGRATED/);
    await refused(MOVE, { ...ok, id: UNKNOWN_ID }, "NOT_FOUND", /no person/);
    await refused(MOVE, { ...ok, region: "99010" }, "BAD_USER_INPUT", /regionCode.*6 digits/);
    await refused(MOVE, { ...ok, region: "99O101" }, "BAD_USER_INPUT", /regionCode/);
    await refused(MOVE, { ...ok, address: "   " }, "BAD_USER_INPUT", /address must not be empty/);
    await refused(MOVE, { ...ok, address: `${longest}路` }, "BAD_USER_INPUT", /201 characters; at most 200/);
    const future = `99010120990101001`;
    await refused(MOVE, { ...ok, id: future + idNumberCheckChar(future) }, "BAD_USER_INPUT", /future/);
  });
});
