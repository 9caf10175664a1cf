import { migrate, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  OIDC_LOGIN_TTL_MS,
  OIDC_SCHEMA,
  oidcMigrations,
  pendingLogins,
  type PendingLogins,
} from "./oidc-pending";

let db: Db;
let logins: PendingLogins;
const clock = { now: new Date("2030-01-01T00:00:00Z") };

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, OIDC_SCHEMA, oidcMigrations);
  logins = pendingLogins(db, () => clock.now);
});
afterAll(() => db.close());

const count = async () =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM oidc.pending_logins`))[0].n;

describe("single sign-on logins under way", () => {
  it("serves one callback: the login once, then nothing", async () => {
    const { handle, login } = await logins.begin();
    expect(handle).toMatch(/^[\w-]{43}$/);
    expect(login).toEqual({
      state: expect.stringMatching(/^[\w-]{43}$/),
      nonce: expect.stringMatching(/^[\w-]{43}$/),
      codeVerifier: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(new Set([handle, login.state, login.nonce, login.codeVerifier]).size).toBe(4);
    // The database holds the handle's hash, never the cookie's value.
    expect(JSON.stringify(await db.query(`SELECT * FROM oidc.pending_logins`))).not.toContain(handle);
    expect(await logins.take(handle)).toEqual(login);
    expect(await logins.take(handle)).toBeNull();
    expect(await logins.take("not a handle")).toBeNull();
  });

  it("says a login is expired past its time, and drops the abandoned ones", async () => {
    const slow = await logins.begin();
    const abandoned = await logins.begin();
    clock.now = new Date(clock.now.getTime() + OIDC_LOGIN_TTL_MS);
    expect(await logins.take(slow.handle)).toBe("expired");
    expect(await count()).toBe(1);
    await logins.begin();
    expect(await count()).toBe(1);
    expect(await logins.take(abandoned.handle)).toBeNull();
  });
});
