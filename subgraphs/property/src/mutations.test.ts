import { collectEvents, eventually, outboxRows, writerOf } from "@onecert/subgraph-kit/testing";
import { startTestRegistry, type TestRegistry } from "@onecert/synthetic-world/testing";
import { todayIso, validateCertificateNumber } from "@onecert/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { property } from "./index";

// Valid, but in a region the synthetic world does not use.
const UNKNOWN_UNIT = "320505400202GB00001F00010069";
const USCC = "91350100M000100Y43";
const UNIT = `unitNumber certificateNumber registeredOn seized mortgaged
  owners { share owner { __typename ... on Person { idNumber } ... on Enterprise { uscc } } }
  mortgages { mortgagee amount registeredOn releasedOn active } seizures { authority caseNumber seizedOn active }`;
const TRANSFER = `mutation ($unit: RealEstateUnitNumber!, $owners: [OwnerInput!]!, $on: Date!) {
  registerTransfer(unitNumber: $unit, owners: $owners, registeredOn: $on) { ${UNIT} } }`;
const MORTGAGE = `mutation ($unit: RealEstateUnitNumber!, $by: String!, $amount: Float!, $on: Date!) {
  registerMortgage(unitNumber: $unit, mortgagee: $by, amount: $amount, registeredOn: $on) { ${UNIT} } }`;
const RELEASE = `mutation ($unit: RealEstateUnitNumber!, $by: String!, $on: Date!) {
  releaseMortgage(unitNumber: $unit, mortgagee: $by, releasedOn: $on) { ${UNIT} } }`;
const SEIZE = `mutation ($unit: RealEstateUnitNumber!, $by: String!, $case: String!, $on: Date!) {
  registerSeizure(unitNumber: $unit, authority: $by, caseNumber: $case, seizedOn: $on) { ${UNIT} } }`;

interface Unit {
  unitNumber: string;
  certificateNumber: string;
  registeredOn: string;
  seized: boolean;
  mortgaged: boolean;
  owners: { share: number; owner: { __typename: string; idNumber?: string; uscc?: string } }[];
  mortgages: {
    mortgagee: string;
    amount: number;
    registeredOn: string;
    releasedOn: string | null;
    active: boolean;
  }[];
  seizures: { caseNumber: string; active: boolean }[];
}

let registry: TestRegistry;
let bus: Awaited<ReturnType<typeof collectEvents>>;
const today = todayIso();

beforeAll(async () => {
  registry = await startTestRegistry(property, { persons: 200 });
  bus = await collectEvents();
}, 180_000);

afterAll(async () => {
  await bus?.stop();
  await registry?.stop();
});

async function unit(unitNumber: string): Promise<Unit> {
  const reply = await registry.post<{ realEstate: Unit }>(
    `query ($u: RealEstateUnitNumber!) { realEstate(unitNumber: $u) { ${UNIT} } }`,
    { u: unitNumber },
  );
  expect(reply.errors).toBeUndefined();
  return reply.data!.realEstate;
}

async function homeOf(sample: string): Promise<string> {
  const rows = await registry.db.query<{ unit: string }>(
    `SELECT unit_number AS unit FROM property.ownerships WHERE owner_id = $1 ORDER BY unit_number LIMIT 1`,
    [registry.sample(sample)],
  );
  return rows[0].unit;
}

async function change<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const reply = await registry.post<Record<string, T>>(query, variables);
  expect(reply.errors).toBeUndefined();
  return Object.values(reply.data!)[0];
}

/** A refused change: its code and rule, no outbox row, the unit unchanged. */
async function refused(query: string, variables: Record<string, unknown>, code: string, rule: RegExp) {
  const before = await outboxRows(registry.db, "property");
  const state = variables.unit === UNKNOWN_UNIT ? null : await unit(variables.unit as string);
  const reply = await registry.post(query, variables);
  expect(reply.errors?.[0]?.extensions?.code).toBe(code);
  expect(reply.errors?.[0]?.message).toMatch(rule);
  expect(await outboxRows(registry.db, "property")).toHaveLength(before.length);
  if (state) expect(await unit(variables.unit as string)).toEqual(state);
}

/** The outbox rows of the last change, checked to share the transaction of the unit's write. */
async function lastChange(unitNumber: string, table = "property.real_estate") {
  const rows = await outboxRows(registry.db, "property");
  const txid = rows[rows.length - 1].txid;
  const mine = rows.filter((row) => row.txid === txid);
  expect(mine[0]).toMatchObject({ type: "RealEstate", key: unitNumber });
  expect(await writerOf(registry.db, table, "unit_number = $1", [unitNumber])).toContain(txid);
  return mine;
}

describe("registerTransfer", () => {
  it("replaces the owners, issues a new certificate and announces the unit and every owner", async () => {
    const unitNumber = await homeOf("person-one-home");
    const previous = await unit(unitNumber);
    const buyer = registry.sample("person-two-homes");
    const owners = [
      { kind: "PERSON", id: buyer, share: 60.5 },
      { kind: "ENTERPRISE", id: USCC, share: 39.5 },
    ];
    const changed = await change<Unit>(TRANSFER, { unit: unitNumber, owners, on: today });
    expect(changed.registeredOn).toBe(today);
    expect(changed.owners).toEqual([
      { share: 60.5, owner: { __typename: "Person", idNumber: buyer } },
      { share: 39.5, owner: { __typename: "Enterprise", uscc: USCC } },
    ]);
    expect(changed.certificateNumber).not.toBe(previous.certificateNumber);
    expect(validateCertificateNumber(changed.certificateNumber)).toEqual({ ok: true });
    expect(changed.certificateNumber.slice(0, 1)).toBe(previous.certificateNumber.slice(0, 1));
    expect(changed.certificateNumber).toContain(`(${today.slice(0, 4)})`);
    const byCertificate = `query ($c: CertificateNumber!) { realEstateByCertificate(certificateNumber: $c) { unitNumber } }`;
    expect((await registry.post(byCertificate, { c: changed.certificateNumber })).data).toEqual({
      realEstateByCertificate: { unitNumber },
    });
    expect((await registry.post(byCertificate, { c: previous.certificateNumber })).data).toEqual({
      realEstateByCertificate: null,
    });

    const rows = await lastChange(unitNumber);
    const seller = previous.owners[0].owner.idNumber!;
    expect(rows.map((row) => [row.type, row.key])).toEqual([
      ["RealEstate", unitNumber],
      ["Person", seller],
      ["Person", buyer],
      ["Enterprise", USCC],
    ]);
    expect(rows[0].tags).toEqual([
      `Certificate:${previous.certificateNumber}`,
      `Certificate:${changed.certificateNumber}`,
    ]);
    expect(rows[1].tags).toEqual([`RealEstate:${unitNumber}`]);
    const ids = rows.map((row) => row.id);
    await eventually(
      () => ids.every((id) => bus.events.some((event) => event.id === id)),
      "the events on the bus",
    );
    expect(bus.events.filter((event) => ids.includes(event.id)).map((event) => event.id)).toEqual(ids);
    await eventually(
      async () => (await outboxRows(registry.db, "property")).every((row) => row.sent),
      "the rows marked sent",
    );

    const again = await change<Unit>(TRANSFER, {
      unit: unitNumber,
      owners: owners.slice(0, 1).map((o) => ({ ...o, share: 100 })),
      on: today,
    });
    expect(again.certificateNumber).not.toBe(changed.certificateNumber);
  });

  it("refuses a seized or unknown unit, bad owners and dates", async () => {
    const free = await homeOf("person-two-homes");
    const seized = registry.sample("realestate-seized");
    const person = registry.sample("person-showcase");
    const one = (share = 100, id = person, kind = "PERSON") => [{ kind, id, share }];
    const ok = { unit: free, owners: one(), on: today };
    await refused(TRANSFER, { ...ok, unit: seized }, "CONFLICT", /seized unit.*seized \(case/);
    await refused(TRANSFER, { ...ok, unit: UNKNOWN_UNIT }, "NOT_FOUND", /no real-estate unit/);
    await refused(TRANSFER, { ...ok, owners: one(99) }, "BAD_USER_INPUT", /sum to 99, not 100/);
    await refused(TRANSFER, { ...ok, owners: [...one(50), ...one(50)] }, "BAD_USER_INPUT", /listed twice/);
    await refused(
      TRANSFER,
      { ...ok, owners: [...one(100), ...one(0, USCC, "ENTERPRISE")] },
      "BAD_USER_INPUT",
      /share 0/,
    );
    await refused(TRANSFER, { ...ok, owners: one(100, USCC) }, "BAD_USER_INPUT", /not an ID number/);
    await refused(
      TRANSFER,
      { ...ok, owners: one(100, person, "ENTERPRISE") },
      "BAD_USER_INPUT",
      /not a unified/,
    );
    await refused(TRANSFER, { ...ok, owners: one(100.001) }, "BAD_USER_INPUT", /hundredths/);
    await refused(TRANSFER, { ...ok, owners: [] }, "BAD_USER_INPUT", /0 entries/);
    await refused(TRANSFER, { ...ok, on: "2999-01-01" }, "BAD_USER_INPUT", /registeredOn.*future/);
    await refused(TRANSFER, { ...ok, on: "2000-01-01" }, "CONFLICT", /before the unit's registration/);
  });
});

describe("mortgages and seizures", () => {
  it("registers and releases mortgages, and refuses what the rules forbid", async () => {
    const unitNumber = registry.sample("realestate-mortgaged");
    const before = await unit(unitNumber);
    const bank = before.mortgages.find((mortgage) => mortgage.active)!;
    const other = "样例测试银行";
    const added = await change<Unit>(MORTGAGE, { unit: unitNumber, by: other, amount: 120000.5, on: today });
    expect(added.mortgages).toHaveLength(before.mortgages.length + 1);
    expect(added.mortgages.at(-1)).toEqual({
      mortgagee: other,
      amount: 120000.5,
      registeredOn: today,
      releasedOn: null,
      active: true,
    });
    const owner = before.owners[0].owner.idNumber!;
    const rows = await lastChange(unitNumber, "property.mortgages");
    expect(rows.map((row) => [row.type, row.key])).toEqual([
      ["RealEstate", unitNumber],
      ["Person", owner],
    ]);

    await refused(
      RELEASE,
      { unit: unitNumber, by: bank.mortgagee, on: "2000-01-01" },
      "CONFLICT",
      /before the mortgage was registered/,
    );
    const released = await change<Unit>(RELEASE, { unit: unitNumber, by: bank.mortgagee, on: today });
    expect(
      released.mortgages.find((m) => m.mortgagee === bank.mortgagee && m.registeredOn === bank.registeredOn),
    ).toMatchObject({
      releasedOn: today,
      active: false,
    });
    expect(released.mortgaged).toBe(true);
    await lastChange(unitNumber, "property.mortgages");
    await refused(
      RELEASE,
      { unit: unitNumber, by: "无此银行", on: today },
      "CONFLICT",
      /holds no active mortgage/,
    );
    await refused(
      MORTGAGE,
      { unit: unitNumber, by: other, amount: 0, on: today },
      "BAD_USER_INPUT",
      /amount 0/,
    );
    await refused(
      MORTGAGE,
      { unit: unitNumber, by: other, amount: 1.005, on: today },
      "BAD_USER_INPUT",
      /in cents/,
    );
    await refused(
      MORTGAGE,
      { unit: unitNumber, by: " ", amount: 1, on: today },
      "BAD_USER_INPUT",
      /mortgagee must not be empty/,
    );
    await refused(
      MORTGAGE,
      { unit: unitNumber, by: other, amount: 1, on: "2000-01-01" },
      "CONFLICT",
      /before the unit's/,
    );
    const seized = registry.sample("realestate-seized");
    await refused(MORTGAGE, { unit: seized, by: other, amount: 1, on: today }, "CONFLICT", /seized unit/);
    await refused(RELEASE, { unit: UNKNOWN_UNIT, by: other, on: today }, "NOT_FOUND", /no real-estate unit/);
  });

  it("registers seizures, one per case, after which the unit cannot be transferred", async () => {
    const unitNumber = await homeOf("person-three-homes");
    const first = { unit: unitNumber, by: "合成市第一区人民法院", case: "(2026)合0101执1号", on: today };
    const seized = await change<Unit>(SEIZE, first);
    expect(seized.seized).toBe(true);
    expect(seized.seizures.at(-1)).toMatchObject({ caseNumber: first.case, active: true });
    await lastChange(unitNumber, "property.seizures");
    await refused(SEIZE, first, "CONFLICT", /case \(2026\)合0101执1号 is already in force/);
    const queued = await change<Unit>(SEIZE, { ...first, case: "(2026)合0101执2号" });
    expect(queued.seizures.filter((seizure) => seizure.active)).toHaveLength(2);
    await refused(SEIZE, { ...first, by: "" }, "BAD_USER_INPUT", /authority must not be empty/);
    await refused(SEIZE, { ...first, on: "2999-12-31" }, "BAD_USER_INPUT", /seizedOn.*future/);
    const owners = [{ kind: "PERSON", id: registry.sample("person-showcase"), share: 100 }];
    await refused(
      TRANSFER,
      { unit: unitNumber, owners, on: today },
      "CONFLICT",
      /\(2026\)合0101执1号, \(2026\)/,
    );
  });
});
