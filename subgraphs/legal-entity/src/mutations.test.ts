import { collectEvents, eventually, outboxRows, writerOf } from "@onecert/subgraph-kit/testing";
import { makeIdNumber, todayIso } from "@onecert/subgraph-kit";
import { startTestRegistry, type TestRegistry } from "@onecert/synthetic-world/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legalEntity } from "./index";

// Valid check character, outside the synthetic world's region codes.
const UNKNOWN_USCC = "91350100M000100Y43";
const ENTERPRISE = `uscc status establishedOn legalRepresentative { idNumber }
  registrationChanges { kind before after effectiveOn reason }`;
const STATUS = `mutation ($uscc: USCC!, $status: EnterpriseStatus!, $on: Date!, $reason: String!) {
  changeStatus(uscc: $uscc, status: $status, effectiveOn: $on, reason: $reason) { ${ENTERPRISE} } }`;
const REPRESENTATIVE = `mutation ($uscc: USCC!, $id: IdNumber!, $on: Date!) {
  changeLegalRepresentative(uscc: $uscc, idNumber: $id, effectiveOn: $on) { ${ENTERPRISE} } }`;

interface EnterpriseReply {
  uscc: string;
  status: string;
  establishedOn: string;
  legalRepresentative: { idNumber: string };
  registrationChanges: {
    kind: string;
    before: string;
    after: string;
    effectiveOn: string;
    reason: string | null;
  }[];
}

let registry: TestRegistry;
let bus: Awaited<ReturnType<typeof collectEvents>>;
const today = todayIso();

beforeAll(async () => {
  registry = await startTestRegistry(legalEntity, { persons: 200 });
  bus = await collectEvents();
}, 180_000);

afterAll(async () => {
  await bus?.stop();
  await registry?.stop();
});

async function enterprise(uscc: string): Promise<EnterpriseReply> {
  const reply = await registry.post<{ enterprise: EnterpriseReply }>(
    `query ($uscc: USCC!) { enterprise(uscc: $uscc) { ${ENTERPRISE} } }`,
    { uscc },
  );
  expect(reply.errors).toBeUndefined();
  return reply.data!.enterprise;
}

async function represented(idNumber: string): Promise<string[]> {
  const reply = await registry.post<{ _entities: { enterprisesRepresented: { uscc: string }[] }[] }>(
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { enterprisesRepresented { uscc } } } }`,
    { r: [{ __typename: "Person", idNumber }] },
  );
  expect(reply.errors).toBeUndefined();
  return reply.data!._entities[0].enterprisesRepresented.map((e) => e.uscc);
}

async function change(query: string, variables: Record<string, unknown>): Promise<EnterpriseReply> {
  const reply = await registry.post<Record<string, EnterpriseReply>>(query, variables);
  expect(reply.errors).toBeUndefined();
  return Object.values(reply.data!)[0];
}

/** A refused change: its code and rule, no outbox row, the enterprise unchanged. */
async function refused(query: string, variables: Record<string, unknown>, code: string, rule: RegExp) {
  const before = await outboxRows(registry.db, "legal_entity");
  const state = variables.uscc === UNKNOWN_USCC ? null : await enterprise(variables.uscc as string);
  const reply = await registry.post(query, variables);
  expect(reply.errors?.[0]?.extensions?.code).toBe(code);
  expect(reply.errors?.[0]?.message).toMatch(rule);
  expect(await outboxRows(registry.db, "legal_entity")).toHaveLength(before.length);
  if (state) expect(await enterprise(variables.uscc as string)).toEqual(state);
}

/** The rows of the latest change, checked to share the transaction of the enterprise's write. */
async function lastChange(uscc: string) {
  const rows = await outboxRows(registry.db, "legal_entity");
  const txid = rows[rows.length - 1].txid;
  expect(await writerOf(registry.db, "legal_entity.enterprises", "uscc = $1", [uscc])).toEqual([txid]);
  return rows.filter((row) => row.txid === txid);
}

describe("changeLegalRepresentative", () => {
  it("registers the new representative and announces the enterprise, both persons and held enterprises", async () => {
    const uscc = registry.sample("enterprise-active");
    const held = registry.sample("enterprise-owns-property");
    const previous = registry.sample("person-showcase");
    const next = registry.sample("person-two-homes");
    expect(await represented(previous)).toContain(uscc);
    const changed = await change(REPRESENTATIVE, { uscc, id: next, on: today });
    expect(changed.legalRepresentative.idNumber).toBe(next);
    expect(changed.registrationChanges.at(-1)).toEqual({
      kind: "LEGAL_REPRESENTATIVE",
      before: previous,
      after: next,
      effectiveOn: today,
      reason: null,
    });
    expect(await represented(previous)).not.toContain(uscc);
    expect(await represented(next)).toContain(uscc);

    const holdings = await registry.db.query<{ uscc: string }>(
      `SELECT uscc FROM legal_entity.shareholdings WHERE holder_id = $1 ORDER BY uscc`,
      [uscc],
    );
    expect(holdings.map((row) => row.uscc)).toContain(held);
    const rows = await lastChange(uscc);
    expect(rows.map((row) => [row.type, row.key, row.tags])).toEqual([
      ["Enterprise", uscc, [`Person:${previous}`, `Person:${next}`]],
      ["Person", previous, [`Enterprise:${uscc}`]],
      ["Person", next, [`Enterprise:${uscc}`]],
      ...holdings.map((row) => ["Enterprise", row.uscc, [`Enterprise:${uscc}`]]),
    ]);
    const ids = rows.map((row) => row.id);
    await eventually(() => ids.every((id) => bus.events.some((event) => event.id === id)), "the events");
    expect(bus.events.find((event) => event.id === ids[0])).toMatchObject({
      source: "legal-entity",
      key: uscc,
    });
    await eventually(
      async () => (await outboxRows(registry.db, "legal_entity")).every((row) => row.sent),
      "sent",
    );
  });

  it("refuses the same person, a minor, dates out of order and enterprises that are not ACTIVE", async () => {
    const uscc = registry.sample("enterprise-active");
    const { legalRepresentative } = await enterprise(uscc);
    const revoked = registry.sample("enterprise-revoked");
    const other = registry.sample("person-one-home");
    const tenYears = `${Number(today.slice(0, 4)) - 10}-06-15`;
    const minor = makeIdNumber("990101", tenYears, 3);
    const ok = { uscc, id: other, on: today };
    await refused(
      REPRESENTATIVE,
      { ...ok, id: legalRepresentative.idNumber },
      "CONFLICT",
      /already the legal/,
    );
    await refused(REPRESENTATIVE, { ...ok, id: minor }, "BAD_USER_INPUT", /under 18/);
    await refused(REPRESENTATIVE, { ...ok, on: "2999-01-01" }, "BAD_USER_INPUT", /effectiveOn.*future/);
    const beforeToday = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    await refused(
      REPRESENTATIVE,
      { ...ok, on: beforeToday },
      "CONFLICT",
      /before the latest registered change/,
    );
    const established = (await enterprise(revoked)).establishedOn;
    const yearBefore = `${Number(established.slice(0, 4)) - 1}${established.slice(4)}`;
    await refused(
      REPRESENTATIVE,
      { ...ok, uscc: revoked, on: yearBefore },
      "CONFLICT",
      /before the establishment/,
    );
    await refused(REPRESENTATIVE, { ...ok, uscc: revoked }, "CONFLICT", /only while ACTIVE.*REVOKED/);
    await refused(REPRESENTATIVE, { ...ok, uscc: UNKNOWN_USCC }, "NOT_FOUND", /no enterprise/);
  });
});

describe("changeStatus", () => {
  it("allows ACTIVE→REVOKED→CANCELLED and nothing back", async () => {
    const uscc = registry.sample("enterprise-owns-property");
    const representative = (await enterprise(uscc)).legalRepresentative.idNumber;
    const ok = { uscc, status: "REVOKED", on: today, reason: "  合成市市场监督管理局吊销决定书 2026-1 号 " };
    await refused(STATUS, { ...ok, reason: " " }, "BAD_USER_INPUT", /reason must not be empty/);
    await refused(STATUS, { ...ok, reason: "因".repeat(501) }, "BAD_USER_INPUT", /at most 500/);
    await refused(STATUS, { ...ok, status: "ACTIVE" }, "CONFLICT", /ACTIVE cannot change to ACTIVE/);
    const revoked = await change(STATUS, ok);
    expect(revoked.status).toBe("REVOKED");
    expect(revoked.registrationChanges.at(-1)).toEqual({
      kind: "STATUS",
      before: "ACTIVE",
      after: "REVOKED",
      effectiveOn: today,
      reason: ok.reason.trim(),
    });
    const rows = await lastChange(uscc);
    expect(rows.map((row) => [row.type, row.key])).toEqual([
      ["Enterprise", uscc],
      ["Person", representative],
    ]);
    await refused(
      STATUS,
      { ...ok, status: "ACTIVE" },
      "CONFLICT",
      /REVOKED cannot change to ACTIVE; allowed/,
    );
    await refused(STATUS, ok, "CONFLICT", /REVOKED cannot change to REVOKED/);
    expect((await change(STATUS, { ...ok, status: "CANCELLED" })).status).toBe("CANCELLED");
    for (const status of ["ACTIVE", "REVOKED", "CANCELLED"]) {
      await refused(
        STATUS,
        { ...ok, status },
        "CONFLICT",
        new RegExp(`CANCELLED cannot change to ${status}`),
      );
    }
    await refused(STATUS, { ...ok, uscc: UNKNOWN_USCC }, "NOT_FOUND", /no enterprise/);
    expect(await enterprise(registry.sample("enterprise-active"))).toMatchObject({ status: "ACTIVE" });
  });
});
