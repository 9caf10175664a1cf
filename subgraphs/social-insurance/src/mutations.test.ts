import { collectEvents, eventually, outboxRows, writerOf } from "@onecert/subgraph-kit/testing";
import { startTestRegistry, type TestRegistry } from "@onecert/synthetic-world/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { socialInsurance } from "./index";
import { currentPeriod } from "@onecert/subgraph-kit";

const RECORD = `mutation ($id: IdNumber!, $period: Period!, $type: InsuranceType!, $base: Float!,
  $employer: USCC, $status: PaymentStatus!) {
  recordContribution(idNumber: $id, period: $period, type: $type, base: $base, employerUscc: $employer,
    paymentStatus: $status) { period type code base employerAmount personalAmount paymentStatus employer { uscc } }
}`;

interface ContributionReply {
  period: string;
  type: string;
  base: number;
  employerAmount: number;
  personalAmount: number;
  paymentStatus: string;
  employer: { uscc: string } | null;
}

let registry: TestRegistry;
let bus: Awaited<ReturnType<typeof collectEvents>>;
const now = currentPeriod();

beforeAll(async () => {
  registry = await startTestRegistry(socialInsurance, { persons: 200 });
  bus = await collectEvents();
}, 180_000);

afterAll(async () => {
  await bus?.stop();
  await registry?.stop();
});

async function employerOf(idNumber: string): Promise<string> {
  const [row] = await registry.db.query<{ uscc: string }>(
    `SELECT employer_uscc AS uscc FROM social_insurance.enrolments WHERE id_number = $1 AND insurance_type = '110'`,
    [idNumber],
  );
  return row.uscc;
}

async function recorded(idNumber: string, type: string): Promise<ContributionReply[]> {
  const reply = await registry.post<{
    _entities: { socialInsurance: { contributions: ContributionReply[] } }[];
  }>(
    `query ($r: [_Any!]!, $type: InsuranceType, $p: Period) { _entities(representations: $r) { ... on Person {
      socialInsurance { contributions(type: $type, from: $p, to: $p) {
        period type base employerAmount personalAmount paymentStatus employer { uscc } } } } } }`,
    { r: [{ __typename: "Person", idNumber }], type, p: now },
  );
  expect(reply.errors).toBeUndefined();
  return reply.data!._entities[0].socialInsurance.contributions;
}

async function headCount(uscc: string): Promise<number> {
  const reply = await registry.post<{ _entities: { insuredEmployees: { count: number } }[] }>(
    `query ($r: [_Any!]!, $p: Period) { _entities(representations: $r) { ... on Enterprise {
      insuredEmployees(type: EMPLOYEE_PENSION, asOf: $p) { count } } } }`,
    { r: [{ __typename: "Enterprise", uscc }], p: now },
  );
  expect(reply.errors).toBeUndefined();
  return reply.data!._entities[0].insuredEmployees.count;
}

async function record(variables: Record<string, unknown>): Promise<ContributionReply> {
  const reply = await registry.post<{ recordContribution: ContributionReply }>(RECORD, variables);
  expect(reply.errors).toBeUndefined();
  return reply.data!.recordContribution;
}

/** A refused change: its code and rule, and no outbox row. */
async function refused(variables: Record<string, unknown>, code: string, rule: RegExp) {
  const before = await outboxRows(registry.db, "social_insurance");
  const reply = await registry.post(RECORD, variables);
  expect(reply.errors?.[0]?.extensions?.code).toBe(code);
  expect(reply.errors?.[0]?.message).toMatch(rule);
  expect(await outboxRows(registry.db, "social_insurance")).toHaveLength(before.length);
}

describe("recordContribution", () => {
  it("records a paid month at the generator's rates, counts it for the employer and announces both", async () => {
    const id = registry.sample("person-no-home-12-months");
    const employer = await employerOf(id);
    const before = await headCount(employer);
    const paid = { id, period: now, type: "EMPLOYEE_PENSION", base: 8000.5, employer, status: "PAID" };
    const expected = {
      period: now,
      type: "EMPLOYEE_PENSION",
      base: 8000.5,
      employerAmount: 1280.08,
      personalAmount: 640.04,
    };
    expect(await record(paid)).toEqual({
      ...expected,
      code: "110",
      paymentStatus: "PAID",
      employer: { uscc: employer },
    });
    expect(await recorded(id, "EMPLOYEE_PENSION")).toEqual([
      { ...expected, paymentStatus: "PAID", employer: { uscc: employer } },
    ]);
    expect(await headCount(employer)).toBe(before + 1);

    const rows = (await outboxRows(registry.db, "social_insurance")).slice(-2);
    expect(rows.map((row) => [row.type, row.key, row.tags])).toEqual([
      ["Person", id, [`Enterprise:${employer}`]],
      ["Enterprise", employer, [`Person:${id}`]],
    ]);
    const where = "id_number = $1 AND period = $2 AND insurance_type = '110'";
    expect(await writerOf(registry.db, "social_insurance.contributions", where, [id, now])).toEqual([
      rows[0].txid,
    ]);
    expect(rows[1].txid).toBe(rows[0].txid);
    const ids = rows.map((row) => row.id);
    await eventually(() => ids.every((one) => bus.events.some((event) => event.id === one)), "the events");
    expect(bus.events.find((event) => event.id === ids[1])).toMatchObject({
      source: "social-insurance",
      type: "Enterprise",
    });
    await eventually(
      async () => (await outboxRows(registry.db, "social_insurance")).every((row) => row.sent),
      "sent",
    );

    await refused(
      paid,
      "CONFLICT",
      /EMPLOYEE_PENSION \(110\) for \d{6} is already PAID: a month is paid once/,
    );
    await refused({ ...paid, status: "BACK_PAID" }, "CONFLICT", /already PAID/);
    await refused({ ...paid, status: "ARREARS" }, "CONFLICT", /already PAID/);
  });

  it("turns a month in arrears into BACK_PAID once, for the employer that owes it", async () => {
    const id = registry.sample("person-showcase");
    const employer = await employerOf(id);
    const owed = { id, period: now, type: "EMPLOYEE_MEDICAL", base: 5000, employer, status: "ARREARS" };
    expect(await record(owed)).toMatchObject({
      paymentStatus: "ARREARS",
      employerAmount: 400,
      personalAmount: 100,
    });
    await refused(owed, "CONFLICT", /already recorded in arrears/);
    await refused(
      { ...owed, employer: "91350100M000100Y43", status: "PAID" },
      "CONFLICT",
      /owed by employer/,
    );
    const paid = await record({ ...owed, employer: null, status: "PAID", base: 6000 });
    expect(paid).toMatchObject({ paymentStatus: "BACK_PAID", base: 6000, employer: { uscc: employer } });
    expect(await recorded(id, "EMPLOYEE_MEDICAL")).toMatchObject([
      { paymentStatus: "BACK_PAID", employerAmount: 480 },
    ]);
    await refused({ ...owed, status: "PAID" }, "CONFLICT", /already BACK_PAID/);
  });

  it("refuses unknown persons, missing or terminated enrolments and malformed input", async () => {
    const id = registry.sample("person-24-months");
    const ok = { id, period: now, type: "UNEMPLOYMENT", base: 5000, employer: null, status: "PAID" };
    const next = `${Number(now.slice(0, 4)) + 1}${now.slice(4)}`;
    await refused(
      { ...ok, id: registry.sample("person-no-insurance") },
      "NOT_FOUND",
      /holds no social-insurance enrolment/,
    );
    await refused(
      { ...ok, type: "RESIDENT_PENSION" },
      "CONFLICT",
      /not enrolled in RESIDENT_PENSION \(170\)/,
    );
    await refused(
      { ...ok, id: registry.sample("person-retired"), type: "EMPLOYEE_PENSION" },
      "CONFLICT",
      /terminated/,
    );
    await refused({ ...ok, period: next }, "BAD_USER_INPUT", /after the current month/);
    await refused({ ...ok, base: 999.99 }, "BAD_USER_INPUT", /base 999.99 must be 1000 to 100000/);
    await refused({ ...ok, base: 100_000.01 }, "BAD_USER_INPUT", /base/);
    await refused({ ...ok, base: 5000.001 }, "BAD_USER_INPUT", /in cents/);
    await refused(
      { ...ok, type: "RESIDENT_PENSION", employer: "91350100M000100Y43" },
      "BAD_USER_INPUT",
      /170/,
    );
    await refused({ ...ok, period: "202613" }, "BAD_USER_INPUT", /not 01-12/);
    expect(await record({ ...ok, base: 100_000 })).toMatchObject({
      employerAmount: 500,
      personalAmount: 500,
      employer: null,
    });
    const [row] = (await outboxRows(registry.db, "social_insurance")).slice(-1);
    expect(row).toMatchObject({ type: "Person", key: id, tags: [] });
  });
});
