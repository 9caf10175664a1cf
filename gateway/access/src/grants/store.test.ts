import { Refusal } from "@onecert/subgraph-kit";
import { migrate, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessMigrations, createIdentityStore } from "../identity";
import { createGrantStore, type GrantRequest, type GrantStore, type GrantValidators } from "./index";

const FIELDS = new Set(["Person.realEstate", "Person.*", "Person.idNumber", "SocialInsurance.*"]);
const MATTERS = new Set(["public-rental-housing", "home-purchase"]);
const validators: GrantValidators = {
  fieldExists: (name) => FIELDS.has(name),
  matterExists: (code) => MATTERS.has(code),
};

let db: Db;
let grants: GrantStore;
let consumer: string;
let admin: string;
const clock = { now: new Date("2031-03-01T08:00:00Z") };
const now = () => clock.now;
const days = (n: number) => new Date(clock.now.getTime() + n * 86_400_000);

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, "access", accessMigrations);
  const identity = createIdentityStore(db);
  consumer = (await identity.createClient({ name: "housing", role: "department", department: "housing" }))
    .client.id;
  admin = (await identity.createClient({ name: "root", role: "admin", department: "data" })).client.id;
  grants = createGrantStore(db, validators, { now });
});
afterAll(() => db.close());

const base = (): GrantRequest => ({
  clientId: consumer,
  fields: ["Person.realEstate"],
  matters: ["public-rental-housing"],
  clearValues: false,
  validUntil: days(30),
  reason: "rental housing checks",
  requestedBy: consumer,
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: Refusal) => error,
  );

describe("grant store", () => {
  it("stores a request with arrays and dates intact on this driver", async () => {
    const grant = await grants.request({ ...base(), fields: ["Person.*", "Person.idNumber", "Person.*"] });
    expect(grant.id).toMatch(/^gr_[0-9a-f]{24}$/);
    expect(grant).toMatchObject({
      clientId: consumer,
      fields: ["Person.*", "Person.idNumber"],
      matters: ["public-rental-housing"],
      status: "REQUESTED",
      decidedBy: null,
      decidedAt: null,
      clientName: "housing",
      clientDepartment: "housing",
    });
    expect(Array.isArray(grant.fields)).toBe(true);
    expect(grant.validFrom).toEqual(clock.now);
    expect(grant.validUntil).toBeInstanceOf(Date);
    expect(await grants.get(grant.id)).toEqual(grant);
  });

  it("rejects unknown or malformed names, bad periods and reasons with 400", async () => {
    const cases: [Partial<GrantRequest>, RegExp][] = [
      [
        { fields: ["Person.realEstate", "Person.secretSauce", "Ghost.*"] },
        /unknown fields: Person.secretSauce, Ghost.\*/,
      ],
      [{ fields: ["realEstate"] }, /malformed fields: realEstate/],
      [{ fields: [] }, /fields must be a non-empty list/],
      [{ matters: ["moon-landing"] }, /unknown matters: moon-landing/],
      [{ matters: [] }, /matters must be a non-empty list/],
      [{ validFrom: days(10), validUntil: days(5) }, /validUntil must be after validFrom/],
      [{ validUntil: days(3 * 366) }, /at most 3 years/],
      [{ validUntil: new Date("nope") }, /validUntil is not a date/],
      [{ reason: "  " }, /reason/],
      [{ clientId: "cl_nobody" }, /unknown client/],
    ];
    for (const [change, message] of cases) {
      const error = await failure(grants.request({ ...base(), ...change }));
      expect(error, String(message)).toMatchObject({ status: 400, code: "BAD_REQUEST" });
      expect(error?.message).toMatch(message);
    }
    expect((await grants.request({ ...base(), validUntil: days(365 * 3) })).status).toBe("REQUESTED");
  });

  it("lets a department request only for its own clients", async () => {
    const own = await grants.request({ ...base(), requesterDepartment: "housing" });
    expect(own.status).toBe("REQUESTED");
    const other = await failure(grants.request({ ...base(), requesterDepartment: "public-security" }));
    expect(other).toMatchObject({ status: 403, code: "FORBIDDEN" });
  });

  it("moves only REQUESTED to APPROVED or REJECTED and only APPROVED to REVOKED", async () => {
    const first = await grants.request(base());
    const approved = await grants.approve(first.id, admin, "ok");
    expect(approved).toMatchObject({ status: "APPROVED", decidedBy: admin, decisionNote: "ok" });
    expect(approved.decidedAt).toEqual(clock.now);
    for (const action of ["approve", "reject"] as const) {
      const error = await failure(grants[action](first.id, admin));
      expect(error).toMatchObject({ status: 409, code: "CONFLICT" });
      expect(error?.message).toMatch(/is APPROVED; only REQUESTED/);
    }
    expect((await grants.revoke(first.id, admin, "no longer needed")).status).toBe("REVOKED");
    expect((await failure(grants.revoke(first.id, admin)))?.status).toBe(409);

    const second = await grants.request(base());
    expect((await failure(grants.revoke(second.id, admin)))?.message).toMatch(/only APPROVED/);
    expect((await grants.reject(second.id, admin)).status).toBe("REJECTED");
    expect((await failure(grants.approve(second.id, admin)))?.status).toBe(409);
    expect((await failure(grants.approve("gr_missing", admin)))?.status).toBe(404);

    const late = await grants.request({ ...base(), validUntil: days(1) });
    const lateStore = createGrantStore(db, validators, { now: () => days(2) });
    expect((await failure(lateStore.approve(late.id, admin)))?.message).toMatch(/expired/);
  });

  it("returns only approved grants valid at the time asked", async () => {
    const identity = createIdentityStore(db);
    const { client } = await identity.createClient({ name: "only-me", role: "window", department: "gov" });
    const make = async (change: Partial<GrantRequest>, decide?: "approve" | "reject" | "revoke") => {
      const grant = await grants.request({ ...base(), clientId: client.id, ...change });
      if (decide === "approve" || decide === "revoke") await grants.approve(grant.id, admin);
      if (decide === "revoke") await grants.revoke(grant.id, admin);
      if (decide === "reject") await grants.reject(grant.id, admin);
      return grant.id;
    };
    const current = await make({}, "approve");
    const future = await make({ validFrom: days(10), validUntil: days(20) }, "approve");
    await make({}, "reject");
    await make({}, "revoke");
    await make({});
    expect((await grants.activeGrants(client.id)).map((grant) => grant.id)).toEqual([current]);
    expect((await grants.activeGrants(client.id, days(15))).map((grant) => grant.id)).toEqual([
      current,
      future,
    ]);
    expect(await grants.activeGrants(client.id, days(31))).toEqual([]);
    expect(await grants.activeGrants("cl_unknown")).toEqual([]);
  });

  it("serves active grants from a cache that local changes clear and others' changes reach within the TTL", async () => {
    const identity = createIdentityStore(db);
    const { client } = await identity.createClient({ name: "cached", role: "window", department: "gov" });
    const replica = createGrantStore(db, validators, { now, cacheTtlMs: 5000 });
    expect(await replica.activeGrants(client.id)).toEqual([]);
    const grant = await grants.request({ ...base(), clientId: client.id });
    await grants.approve(grant.id, admin);
    expect((await grants.activeGrants(client.id)).length).toBe(1);
    expect(await replica.activeGrants(client.id)).toEqual([]);
    clock.now = new Date(clock.now.getTime() + 5000);
    expect((await replica.activeGrants(client.id)).length).toBe(1);
    await replica.revoke(grant.id, admin);
    expect(await replica.activeGrants(client.id)).toEqual([]);
  });

  it("lists by client and status, newest first", async () => {
    const all = await grants.list({ clientId: consumer });
    expect(all.length).toBeGreaterThan(3);
    expect(all.every((grant) => grant.clientId === consumer)).toBe(true);
    const approved = await grants.list({ status: "APPROVED" });
    expect(approved.every((grant) => grant.status === "APPROVED")).toBe(true);
    expect((await failure(grants.list({ status: "NOPE" as never })))?.status).toBe(400);
    expect(await grants.get("gr_missing")).toBeNull();
  });
});
