import { migrate, Refusal, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDepartmentStore,
  departmentMigrations,
  DEPARTMENTS_SCHEMA,
  SHIPPED_DEPARTMENTS,
} from "../departments";
import { accessMigrations, ACCESS_SCHEMA, createIdentityStore, type IdentityStore } from "../identity";
import {
  createUserStore,
  LOCKOUT_MS,
  MAX_FAILED_LOGINS,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  userMigrations,
  USERS_SCHEMA,
  type NewConsoleUser,
  type UserStore,
} from "./index";

let db: Db;
let identity: IdentityStore;
let store: UserStore;
let clientId: string;
const clock = { now: new Date("2030-01-01T00:00:00Z") };
const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, ACCESS_SCHEMA, accessMigrations);
  await migrate(db, DEPARTMENTS_SCHEMA, departmentMigrations);
  await migrate(db, USERS_SCHEMA, userMigrations);
  const departments = createDepartmentStore(db);
  await departments.seed(SHIPPED_DEPARTMENTS);
  identity = createIdentityStore(db);
  clientId = (
    await identity.createClient({ name: "hall", role: "window", department: "government-service-center" })
  ).client.id;
  store = createUserStore(db, { identity, departments, now: () => clock.now });
});
afterAll(() => db.close());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: Refusal) => error,
  );

const newUser = (username: string, extra: Partial<NewConsoleUser> = {}): NewConsoleUser => ({
  username,
  displayName: "Wang Fang",
  role: "clerk",
  department: "government-service-center",
  clientId,
  password: PASSWORD,
  createdBy: "cl_admin",
  ...extra,
});

describe("console users", () => {
  it("creates a user with a scrypt hash that never leaves the store", async () => {
    const user = await store.create(newUser("wang.fang"));
    expect(user).toEqual({
      username: "wang.fang",
      displayName: "Wang Fang",
      role: "clerk",
      department: "government-service-center",
      clientId,
      status: "active",
      createdAt: clock.now,
      createdBy: "cl_admin",
      failedLogins: 0,
      lockedUntil: null,
      disabledAt: null,
      lastLoginAt: null,
    });
    const [row] = await db.query<{ password_hash: string }>(
      `SELECT password_hash FROM users.users WHERE username = 'wang.fang'`,
    );
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(row.password_hash).not.toContain(PASSWORD);
    expect(await store.list()).toEqual([user]);
    expect(await store.get("nobody")).toBeNull();
  });

  it("refuses a taken username, an unknown department or client, and bad fields", async () => {
    expect(await failure(store.create(newUser("wang.fang")))).toMatchObject({
      code: "USER_EXISTS",
      status: 409,
    });
    expect(await failure(store.create(newUser("li.lei", { department: "civil-afairs" })))).toMatchObject({
      code: "UNKNOWN_DEPARTMENT",
      details: { suggestion: "civil-affairs" },
    });
    expect(await failure(store.create(newUser("li.lei", { clientId: "cl_nope" })))).toMatchObject({
      code: "UNKNOWN_CLIENT",
      status: 400,
    });
    const cases: [Partial<NewConsoleUser>, string][] = [
      [{ username: "Li.Lei" }, "username must be"],
      [{ username: "x" }, "username must be"],
      [{ password: "short pass" }, "password must be 12 to 1024 characters"],
      [{ displayName: " " }, "displayName must be"],
      [{ role: "root" as never }, "role must be one of clerk, officer, auditor, supervisor, admin"],
    ];
    for (const [change, message] of cases) {
      expect(await failure(store.create(newUser("li.lei", change))), message).toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining(message),
      });
    }
  });

  it("logs in by any case of the username, and says why a login fails", async () => {
    expect(await store.login("Wang.Fang", PASSWORD)).toMatchObject({
      ok: true,
      user: { username: "wang.fang", lastLoginAt: clock.now },
    });
    expect(await store.login("wang.fang", "wrong password!")).toEqual({
      ok: false,
      reason: "wrong-password",
    });
    expect(await store.login("nobody", PASSWORD)).toEqual({ ok: false, reason: "unknown-user" });
    expect((await store.get("wang.fang"))?.failedLogins).toBe(1);
    await store.login("wang.fang", PASSWORD);
    expect((await store.get("wang.fang"))?.failedLogins).toBe(0);
  });

  it(`locks after ${MAX_FAILED_LOGINS} wrong passwords for 15 minutes; a new password unlocks`, async () => {
    await store.create(newUser("zhao.lei"));
    const reasons: string[] = [];
    for (let n = 0; n < MAX_FAILED_LOGINS; n++) {
      const result = await store.login("zhao.lei", `wrong password ${n}`);
      if (!result.ok) reasons.push(result.reason);
    }
    expect(reasons).toEqual([...Array(MAX_FAILED_LOGINS - 1).fill("wrong-password"), "locked-out"]);
    expect((await store.get("zhao.lei"))?.lockedUntil).toEqual(new Date(clock.now.getTime() + LOCKOUT_MS));
    expect(await store.login("zhao.lei", PASSWORD)).toEqual({ ok: false, reason: "locked" });
    advance(LOCKOUT_MS);
    expect(await store.login("zhao.lei", PASSWORD)).toMatchObject({ ok: true });

    for (let n = 0; n < MAX_FAILED_LOGINS; n++) await store.login("zhao.lei", "wrong password!");
    expect(await store.login("zhao.lei", PASSWORD)).toEqual({ ok: false, reason: "locked" });
    const reset = await store.setPassword("zhao.lei", "a brand new password");
    expect(reset).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect(await store.login("zhao.lei", PASSWORD)).toMatchObject({ ok: false, reason: "wrong-password" });
    expect(await store.login("zhao.lei", "a brand new password")).toMatchObject({ ok: true });
    expect(await failure(store.setPassword("zhao.lei", "too short"))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await failure(store.setPassword("nobody", PASSWORD))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps sessions by the hash of their token, as the user's client, until idle or too old", async () => {
    const started = await store.startSession("wang.fang");
    expect(started.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.session).toMatchObject({
      id: expect.stringMatching(/^ses_[0-9a-f]{24}$/),
      username: "wang.fang",
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: new Date(clock.now.getTime() + SESSION_ABSOLUTE_MS),
    });
    const [row] = await db.query<{ token_hash: string }>(
      `SELECT token_hash FROM users.sessions WHERE id = $1`,
      [started.session.id],
    );
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toContain(started.token);

    const caller = await store.session(started.token);
    expect(caller?.client).toMatchObject({
      id: clientId,
      name: "hall",
      role: "window",
      department: "government-service-center",
      via: "session",
      credentialId: started.session.id,
    });
    expect(await store.session("not a token")).toBeNull();

    // Used every 20 minutes it lives on; then 30 idle minutes end it.
    for (let n = 0; n < 3; n++) {
      advance(20 * 60_000);
      expect(await store.session(started.token), `after ${(n + 1) * 20} minutes`).not.toBeNull();
    }
    advance(SESSION_IDLE_MS);
    expect(await store.session(started.token)).toBeNull();

    // However busy, 12 hours after login it ends.
    const busy = await store.startSession("wang.fang");
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      advance(20 * 60_000);
      expect(await store.session(busy.token)).not.toBeNull();
    }
    advance(20 * 60_000);
    expect(await store.session(busy.token)).toBeNull();
  });

  it("ends sessions at logout, when the user is disabled, or when their client is revoked", async () => {
    const first = await store.startSession("wang.fang");
    await store.endSession(first.token);
    expect(await store.session(first.token)).toBeNull();

    const second = await store.startSession("wang.fang");
    const disabled = await store.disable("wang.fang");
    expect(disabled).toMatchObject({ status: "disabled", disabledAt: clock.now });
    expect(await store.session(second.token)).toBeNull();
    expect(await store.login("wang.fang", PASSWORD)).toEqual({ ok: false, reason: "disabled" });
    expect(await failure(store.disable("wang.fang"))).toMatchObject({ code: "CONFLICT" });
    expect(await failure(store.disable("nobody"))).toMatchObject({ code: "NOT_FOUND" });

    const other = await identity.createClient({
      name: "soon-revoked",
      role: "window",
      department: "civil-affairs",
    });
    await store.create(newUser("sun.li", { clientId: other.client.id, department: "civil-affairs" }));
    const third = await store.startSession("sun.li");
    expect(await store.session(third.token)).not.toBeNull();
    await identity.revokeClient(other.client.id);
    expect(await store.session(third.token)).toBeNull();
    expect(await store.login("sun.li", PASSWORD)).toEqual({ ok: false, reason: "client-revoked" });
    expect(await failure(store.create(newUser("zhou.yu", { clientId: other.client.id })))).toMatchObject({
      code: "CONFLICT",
    });
  });

  it("logs in a user verified by single sign-on without a password, lockout or not, and says why not", async () => {
    await store.create(newUser("qian.yu"));
    for (let n = 0; n < MAX_FAILED_LOGINS; n++) await store.login("qian.yu", `wrong password ${n}`);
    expect(await store.login("qian.yu", PASSWORD)).toEqual({ ok: false, reason: "locked" });
    advance(1000);
    expect(await store.loginVerified(" Qian.Yu ")).toMatchObject({
      ok: true,
      user: { username: "qian.yu", lastLoginAt: clock.now },
    });
    // The lockout stands for passwords: single sign-on neither counts nor clears it.
    expect((await store.get("qian.yu"))?.lockedUntil).not.toBeNull();
    expect(await store.loginVerified("nobody")).toEqual({ ok: false, reason: "unknown-user" });
    expect(await store.loginVerified("wang.fang")).toEqual({ ok: false, reason: "disabled" });
    expect(await store.loginVerified("sun.li")).toEqual({ ok: false, reason: "client-revoked" });
  });
});
