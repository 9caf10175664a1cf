import { LOGIN_ATTEMPTS_PER_MINUTE } from "@onecert/gateway";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromRow, type AuditRecord } from "@onecert/audit";
import { MAX_FAILED_LOGINS, SESSION_IDLE_MS } from "@onecert/access";
import { startTestStack, TEST_MATTER, type TestStack } from "../support/stack";
import { runCli } from "../support/cli";

/**
 * The web console's backend on a running gateway: console users created by the admin API and the
 * CLI, a login that sets the session cookie, requests authenticated by it as the user's client with
 * the username as operator (in the audit trail), CSRF, lockout, disabling, logout and idle expiry.
 */

const PASSWORD = "window clerk password 1";
const QUERY = `query Citizen($id: IdNumber!) { person(idNumber: $id) { name } }`;
let t: TestStack;
let base = "";
let windowClientId = "";

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

const admin = (method: string, path: string, body?: unknown) =>
  call(method, `/admin${path}`, { body, headers: { authorization: `Bearer ${t.keys.admin}` } });

interface Session {
  cookie: string;
  csrfToken: string;
  setCookie: string;
}

async function login(
  username: string,
  password: string,
  requestId?: string,
): Promise<Answer & { session?: Session }> {
  const answer = await call("POST", "/console/api/login", {
    body: { username, password },
    headers: requestId ? { "x-request-id": requestId } : {},
  });
  const setCookie = answer.headers.get("set-cookie");
  if (answer.status !== 200 || !setCookie) return answer;
  const cookie = setCookie.split(";")[0];
  return { ...answer, session: { cookie, csrfToken: answer.body.csrfToken as string, setCookie } };
}

const asSession = (session: Session, extra: Record<string, string> = {}) => ({
  cookie: session.cookie,
  ...extra,
});

const gql = (session: Session, headers: Record<string, string>) =>
  call("POST", "/graphql", {
    body: { query: QUERY, variables: { id: t.sample("person-showcase") } },
    headers: { ...asSession(session), "x-matter-code": TEST_MATTER, ...headers },
  });

async function recordsOf(requestId: string): Promise<AuditRecord[]> {
  const rows = await t.stack.gateway.audit!.store.db.query<Record<string, unknown>>(
    "SELECT * FROM audit.records WHERE request_id = $1 ORDER BY seq",
    [requestId],
  );
  return rows.map(fromRow);
}

async function createUser(username: string) {
  const created = await admin("POST", "/users", {
    username,
    displayName: `User ${username}`,
    role: "clerk",
    department: "government-service-center",
    clientId: windowClientId,
    password: PASSWORD,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created;
}

/** Runs `onecert ...` in this process against the test gateway as its admin. */
const cli = (args: string[]) => runCli(base, t.keys.admin, args);

beforeAll(async () => {
  t = await startTestStack();
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
  const clients = await t.stack.gateway.access.identity.listClients();
  windowClientId = clients.find((client) => client.name === "e2e-window")!.id;
  await createUser("wang.fang");
});
afterAll(async () => {
  await t?.stop();
});

describe("console users and sessions", () => {
  it("logs in with a cookie that is HttpOnly, SameSite=Strict, Path=/, and Secure unless on localhost", async () => {
    const answer = await login("Wang.Fang", PASSWORD, "console-login-ok");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      user: expect.objectContaining({ username: "wang.fang", role: "clerk", clientId: windowClientId }),
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(answer.session!.setCookie).toMatch(
      /^onecert_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/,
    );
    // Plain HTTP under another host name (a proxy in front, say): Secure.
    const secure = await new Promise<string>((resolve, reject) => {
      const url = new URL(`${base}/console/api/login`);
      const body = JSON.stringify({ username: "wang.fang", password: PASSWORD });
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { host: "console.gov.example", "content-type": "application/json" },
        },
        (res) => {
          res.resume();
          resolve(String(res.headers["set-cookie"]));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(secure).toMatch(/; HttpOnly; SameSite=Strict; Path=\/; Secure; Max-Age=43200$/);

    const [record] = await recordsOf("console-login-ok");
    expect(record).toMatchObject({
      path: "/console/api/login",
      clientId: windowClientId,
      operatorId: "wang.fang",
      credentialId: expect.stringMatching(/^ses_/),
      outcome: "ok",
    });
    expect(JSON.stringify(record)).not.toContain(PASSWORD);
  });

  it("reads data as the user's client, the username the operator whatever x-operator-id says", async () => {
    const { session } = await login("wang.fang", PASSWORD);
    const current = await call("GET", "/console/api/session", { headers: asSession(session!) });
    expect(current).toMatchObject({
      status: 200,
      body: { user: expect.objectContaining({ username: "wang.fang" }), csrfToken: session!.csrfToken },
    });
    const reply = await gql(session!, {
      "x-csrf-token": session!.csrfToken,
      "x-operator-id": "someone-else",
      "x-request-id": "console-read",
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.errors).toBeUndefined();
    expect((reply.body.data as { person: { name: string } }).person.name).toEqual(expect.any(String));
    const [record] = await recordsOf("console-read");
    expect(record).toMatchObject({
      kind: "graphql",
      clientId: windowClientId,
      clientName: "e2e-window",
      role: "window",
      operatorId: "wang.fang",
      matterCode: TEST_MATTER,
      outcome: "ok",
    });
    // An API key keeps working as before, its operator its own header.
    const keyed = await call("POST", "/graphql", {
      body: { query: QUERY, variables: { id: t.sample("person-showcase") } },
      headers: { ...t.headers, cookie: session!.cookie, "x-request-id": "console-key" },
    });
    expect(keyed.status).toBe(200);
    expect((await recordsOf("console-key"))[0]).toMatchObject({
      operatorId: "e2e-clerk",
      credentialId: expect.stringMatching(/^key_/),
    });
  });

  it("refuses a state-changing session request without the CSRF token, 403 CSRF_REJECTED, audited", async () => {
    const { session } = await login("wang.fang", PASSWORD);
    const refused = await gql(session!, { "x-request-id": "console-csrf" });
    expect(refused).toMatchObject({
      status: 403,
      body: { errors: [{ extensions: { code: "CSRF_REJECTED" } }] },
    });
    const wrong = await gql(session!, { "x-csrf-token": "x".repeat(43) });
    expect(wrong.status).toBe(403);
    const [record] = await recordsOf("console-csrf");
    expect(record).toMatchObject({ outcome: "denied", errorCode: "CSRF_REJECTED", operatorId: "wang.fang" });
    // Reading the session needs no token.
    expect((await call("GET", "/console/api/session", { headers: asSession(session!) })).status).toBe(200);
  });

  it(`locks after ${MAX_FAILED_LOGINS} wrong passwords with the same answer, audited with the reason; a reset unlocks`, async () => {
    await createUser("li.lei");
    for (let n = 0; n < MAX_FAILED_LOGINS; n++) {
      const wrong = await login("li.lei", `not the password ${n}`, `console-wrong-${n}`);
      expect(wrong).toMatchObject({
        status: 401,
        body: { errors: [{ message: "wrong username or password", extensions: { code: "LOGIN_FAILED" } }] },
      });
    }
    const locked = await login("li.lei", PASSWORD, "console-locked");
    const unknown = await login("nobody.here", PASSWORD, "console-unknown");
    expect(locked.body).toEqual(unknown.body);
    expect(locked.status).toBe(401);
    const codes = async (id: string) =>
      (await recordsOf(id)).map((record) => [record.errorCode, record.outcome]);
    expect(await codes("console-wrong-0")).toEqual([["LOGIN_WRONG_PASSWORD", "denied"]]);
    expect(await codes(`console-wrong-${MAX_FAILED_LOGINS - 1}`)).toEqual([["LOGIN_LOCKED_OUT", "denied"]]);
    expect(await codes("console-locked")).toEqual([["LOGIN_LOCKED", "denied"]]);
    expect(await codes("console-unknown")).toEqual([["LOGIN_UNKNOWN_USER", "denied"]]);
    expect((await recordsOf("console-locked"))[0]).toMatchObject({ operatorId: "li.lei", clientId: null });
    for (const id of ["console-wrong-0", "console-locked"])
      expect(JSON.stringify(await recordsOf(id))).not.toMatch(/not the password|window clerk password/);

    const listed = await admin("GET", "/users");
    const li = (listed.body.data as { username: string; lockedUntil: string | null }[]).find(
      (user) => user.username === "li.lei",
    );
    expect(li?.lockedUntil).not.toBeNull();
    const reset = await admin("POST", "/users/li.lei/password", { password: "a fresh password 2" });
    expect(reset).toMatchObject({ status: 200, body: { data: { failedLogins: 0, lockedUntil: null } } });
    expect((await login("li.lei", "a fresh password 2")).status).toBe(200);
    const short = await admin("POST", "/users/li.lei/password", { password: "short" });
    expect(short).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
  });

  it("ends every session of a disabled user at once", async () => {
    await createUser("zhao.min");
    const { session } = await login("zhao.min", PASSWORD);
    expect((await call("GET", "/console/api/session", { headers: asSession(session!) })).status).toBe(200);
    const disabled = await admin("POST", "/users/zhao.min/disable");
    expect(disabled).toMatchObject({ status: 200, body: { data: { status: "disabled" } } });
    const after = await call("GET", "/console/api/session", { headers: asSession(session!) });
    expect(after).toMatchObject({
      status: 401,
      body: { errors: [{ extensions: { code: "UNAUTHENTICATED" } }] },
    });
    expect(after.headers.get("set-cookie")).toMatch(/^onecert_session=; .*Max-Age=0$/);
    const again = await login("zhao.min", PASSWORD, "console-disabled");
    expect(again.status).toBe(401);
    expect((await recordsOf("console-disabled"))[0]).toMatchObject({ errorCode: "LOGIN_DISABLED" });
    // Enabled again, the user logs in with the password they had; the old session stays ended.
    const enabled = await admin("POST", "/users/zhao.min/enable");
    expect(enabled).toMatchObject({ status: 200, body: { data: { status: "active", disabledAt: null } } });
    expect((await admin("POST", "/users/zhao.min/enable")).status).toBe(409);
    expect((await login("zhao.min", PASSWORD)).status).toBe(200);
    expect((await call("GET", "/console/api/session", { headers: asSession(session!) })).status).toBe(401);
  });

  it("ends the session at logout, which needs the CSRF token", async () => {
    const { session } = await login("wang.fang", PASSWORD);
    expect((await call("POST", "/console/api/logout", { headers: asSession(session!) })).status).toBe(403);
    const out = await call("POST", "/console/api/logout", {
      headers: asSession(session!, { "x-csrf-token": session!.csrfToken }),
    });
    expect(out).toMatchObject({ status: 200, body: { loggedOut: true } });
    expect(out.headers.get("set-cookie")).toMatch(
      /^onecert_session=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0$/,
    );
    expect((await call("GET", "/console/api/session", { headers: asSession(session!) })).status).toBe(401);
  });

  it("ends a session left idle for 30 minutes", async () => {
    const { session } = await login("wang.fang", PASSWORD);
    const { csrfToken } = session!;
    const rows = await t.stack.db.query<{ id: string }>(
      `SELECT id FROM users.sessions WHERE csrf_token = $1`,
      [csrfToken],
    );
    expect(rows).toHaveLength(1);
    await t.stack.db.query(`UPDATE users.sessions SET last_seen_at = $2 WHERE id = $1`, [
      rows[0].id,
      new Date(Date.now() - SESSION_IDLE_MS - 1000),
    ]);
    const idle = await call("GET", "/console/api/session", { headers: asSession(session!) });
    expect(idle.status).toBe(401);
    expect(await t.stack.db.query(`SELECT id FROM users.sessions WHERE id = $1`, [rows[0].id])).toEqual([]);
  });

  it("manages users from the CLI: create with a generated password, list, disable", async () => {
    const created = await cli([
      "user",
      "create",
      "chen.jing",
      "--name",
      "Chen Jing",
      "--role",
      "officer",
      "--department",
      "government-service-center",
      "--client",
      windowClientId,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const password = /Password \(shown only now[^\n]*\n(\S+)\n/.exec(created.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await login("chen.jing", password!)).status).toBe(200);

    const listed = await cli(["user", "list"]);
    expect(listed.stdout).toMatch(/^USERNAME\s+NAME\s+ROLE/);
    expect(listed.stdout).toContain("chen.jing");
    const again = await cli([
      "user",
      "create",
      "chen.jing",
      "--name",
      "C",
      "--role",
      "clerk",
      "--department",
      "civil-affairs",
      "--client",
      windowClientId,
    ]);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining("(409 USER_EXISTS)") });
    const typo = await cli([
      "user",
      "create",
      "he.yu",
      "--name",
      "He Yu",
      "--role",
      "clerk",
      "--department",
      "civil-afairs",
      "--client",
      windowClientId,
    ]);
    expect(typo.stderr).toContain("UNKNOWN_DEPARTMENT");
    const disabled = await cli(["user", "disable", "chen.jing"]);
    expect(disabled).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("Disabled console user chen.jing"),
    });
    expect((await login("chen.jing", password!)).status).toBe(401);
  });

  it("lets only admins manage users", async () => {
    const refused = await call("GET", "/admin/users", {
      headers: { authorization: `Bearer ${t.keys.window}` },
    });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
  });

  // Last: it spends this address's login budget for the minute.
  it(`throttles one address to ${LOGIN_ATTEMPTS_PER_MINUTE} login attempts a minute, whatever the username`, async () => {
    const statuses: number[] = [];
    let limited: Answer | undefined;
    for (let n = 0; n <= LOGIN_ATTEMPTS_PER_MINUTE && !limited; n += 1) {
      const answer = await login(`nobody-${n}`, "not the password at all");
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expect(limited).toMatchObject({
      status: 429,
      body: { errors: [{ extensions: { code: "RATE_LIMITED" } }] },
    });
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
