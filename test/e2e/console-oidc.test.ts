import { fromRow, type AuditRecord } from "@onecert/audit";
import { LOGIN_ATTEMPTS_PER_MINUTE } from "@onecert/gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIdp, type IdpTwist, type TestIdp } from "../support/oidc-idp";
import { freePort } from "../support/processes";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * Console single sign-on over real HTTP: a gateway whose OIDC_ISSUER is a small provider of the
 * test's own, driven as a browser would (redirects followed by hand, cookies carried by hand).
 * A login ends in the same session cookie as the password login; every refusal is audited
 * under its own code.
 */

const CLIENT = { id: "onecert-console", secret: "console client secret" };
let t: TestStack;
let idp: TestIdp;
let base = "";
let windowClientId = "";

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { redirect: "manual", headers });
const json = async (response: Response) => (await response.json()) as Record<string, unknown>;
const codeOf = async (response: Response) =>
  ((await json(response)).errors as { extensions: { code: string } }[])[0].extensions.code;

async function recordsOf(requestId: string): Promise<AuditRecord[]> {
  const rows = await t.stack.gateway.audit!.store.db.query<Record<string, unknown>>(
    "SELECT * FROM audit.records WHERE request_id = $1 ORDER BY seq",
    [requestId],
  );
  return rows.map(fromRow);
}

/** GET /console/api/oidc/login: the provider's authorization URL and the login's cookie. */
async function startLogin(requestId?: string) {
  const started = await get(`${base}/console/api/oidc/login`, requestId ? { "x-request-id": requestId } : {});
  expect(started.status).toBe(303);
  const setCookie = started.headers.get("set-cookie")!;
  return { authorize: started.headers.get("location")!, setCookie, cookie: setCookie.split(";")[0] };
}

/** A whole login as `username`: the start, the provider, and the callback with the login's cookie. */
async function sso(username: string, twist: IdpTwist = {}, requestId = "", extraCookie = "") {
  idp.next = { username, twist };
  const login = await startLogin();
  const back = await get(login.authorize);
  expect(back.status).toBe(302);
  const callbackUrl = back.headers.get("location")!;
  const cookie = [login.cookie, extraCookie].filter(Boolean).join("; ");
  const answer = await get(callbackUrl, { cookie, ...(requestId ? { "x-request-id": requestId } : {}) });
  return { login, callbackUrl, answer };
}

async function createUser(username: string) {
  const created = await fetch(`${base}/admin/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.keys.admin}`, "content-type": "application/json" },
    body: JSON.stringify({
      username,
      displayName: `User ${username}`,
      role: "clerk",
      department: "government-service-center",
      clientId: windowClientId,
      password: "a password nobody types",
    }),
  });
  expect(created.status).toBe(201);
}

const sessionCookieOf = (answer: Response) =>
  answer.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith("onecert_session="))
    ?.split(";")[0];

beforeAll(async () => {
  const port = await freePort();
  const redirectUrl = `http://127.0.0.1:${port}/console/api/oidc/callback`;
  idp = await startTestIdp({ ...CLIENT, redirectUri: redirectUrl });
  // Down while the gateway starts: it must start all the same.
  idp.reachable = false;
  t = await startTestStack({
    gateway: {
      port,
      oidc: {
        issuer: idp.issuer,
        clientId: CLIENT.id,
        clientSecret: CLIENT.secret,
        redirectUrl,
        usernameClaim: "preferred_username",
        scopes: ["openid", "profile"],
      },
    },
  });
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
  const clients = await t.stack.gateway.access.identity.listClients();
  windowClientId = clients.find((client) => client.name === "e2e-window")!.id;
  await createUser("wang.fang");
});
afterAll(async () => {
  await t?.stop();
  await idp?.close();
});

describe("console single sign-on", () => {
  it("starts while the provider is down, answers 503 OIDC_UNAVAILABLE, and discovers it once it is up", async () => {
    const info = await get(`${base}/console/api/oidc`);
    expect(await json(info)).toEqual({ enabled: true, loginUrl: "/console/api/oidc/login" });
    const down = await get(`${base}/console/api/oidc/login`, { "x-request-id": "oidc-down" });
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("5");
    expect(await codeOf(down)).toBe("OIDC_UNAVAILABLE");
    expect((await recordsOf("oidc-down"))[0]).toMatchObject({
      errorCode: "OIDC_UNAVAILABLE",
      outcome: "error",
    });
    idp.reachable = true;
    const { authorize, setCookie } = await startLogin();
    const asked = new URL(authorize);
    expect(asked.origin + asked.pathname).toBe(`${idp.issuer}/authorize`);
    expect(Object.fromEntries(asked.searchParams)).toMatchObject({
      client_id: CLIENT.id,
      response_type: "code",
      scope: "openid profile",
      code_challenge_method: "S256",
      state: expect.stringMatching(/^[\w-]{43}$/),
      nonce: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(setCookie).toMatch(
      /^onecert_oidc=[\w-]{43}; HttpOnly; SameSite=Lax; Path=\/console\/api\/oidc\/callback; Max-Age=600$/,
    );
  });

  it("logs in a console user into the password login's session, audited with the user as operator", async () => {
    const { answer } = await sso("Wang.Fang", {}, "oidc-ok");
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe("/console/");
    const cookies = answer.headers.getSetCookie();
    expect(cookies).toContainEqual(expect.stringMatching(/^onecert_oidc=; .*Max-Age=0$/));
    expect(cookies).toContainEqual(
      expect.stringMatching(/^onecert_session=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/),
    );
    const cookie = sessionCookieOf(answer)!;
    const session = await get(`${base}/console/api/session`, { cookie });
    expect(session.status).toBe(200);
    expect(await json(session)).toMatchObject({ user: { username: "wang.fang", clientId: windowClientId } });
    const [record] = await recordsOf("oidc-ok");
    expect(record).toMatchObject({
      // The authorization code and state are credentials: the record keeps neither.
      path: "/console/api/oidc/callback?state=REDACTED&code=REDACTED",
      operatorId: "wang.fang",
      clientId: windowClientId,
      credentialId: expect.stringMatching(/^ses_/),
      outcome: "ok",
    });
    // One login, one session: the session the browser still held ends.
    const again = await sso("wang.fang", {}, "", cookie);
    expect(again.answer.status).toBe(303);
    expect((await get(`${base}/console/api/session`, { cookie })).status).toBe(401);
    const newer = sessionCookieOf(again.answer)!;
    expect((await get(`${base}/console/api/session`, { cookie: newer })).status).toBe(200);
  });

  it("refuses a callback whose state is not the browser's login, and a replayed one", async () => {
    idp.next = { username: "wang.fang", twist: {} };
    const login = await startLogin();
    const back = new URL((await get(login.authorize)).headers.get("location")!);
    const forged = new URL(back);
    forged.searchParams.set("state", "x".repeat(43));
    const wrong = await get(forged.href, {
      cookie: login.cookie,
      "x-request-id": "oidc-state",
      "x-operator-id": "someone-else",
    });
    expect(wrong.status).toBe(401);
    expect(await codeOf(wrong)).toBe("OIDC_STATE_MISMATCH");
    expect((await recordsOf("oidc-state"))[0]).toMatchObject({
      errorCode: "OIDC_STATE_MISMATCH",
      outcome: "denied",
      operatorId: null,
    });
    // The refused callback used the login up: the right state comes too late.
    expect(await codeOf(await get(back.href, { cookie: login.cookie }))).toBe("OIDC_STATE_MISMATCH");
    // Without the login's cookie (another browser, a link sent to someone): refused.
    const done = await sso("wang.fang");
    expect(done.answer.status).toBe(303);
    expect(await codeOf(await get(done.callbackUrl))).toBe("OIDC_STATE_MISMATCH");
    expect(await codeOf(await get(done.callbackUrl, { cookie: done.login.cookie }))).toBe(
      "OIDC_STATE_MISMATCH",
    );
  });

  it("refuses a code the provider will not exchange: used before, or with another PKCE verifier", async () => {
    const first = await sso("wang.fang");
    expect(first.answer.status).toBe(303);
    const code = new URL(first.callbackUrl).searchParams.get("code")!;
    // A fresh login of this browser, sent back with the code already exchanged.
    const login = await startLogin();
    const state = new URL(login.authorize).searchParams.get("state")!;
    const replay = new URL(first.callbackUrl);
    replay.searchParams.set("state", state);
    const replayed = await get(replay.href, { cookie: login.cookie, "x-request-id": "oidc-replay" });
    expect(replayed.status).toBe(401);
    expect(await codeOf(replayed)).toBe("OIDC_CODE_REJECTED");
    expect(idp.refusals).toContain("code used before");
    expect(code).toMatch(/^[0-9a-f]{32}$/);
    expect((await recordsOf("oidc-replay"))[0]).toMatchObject({
      errorCode: "OIDC_CODE_REJECTED",
      outcome: "denied",
    });
    const verifier = await sso("wang.fang", { otherChallenge: true });
    expect(await codeOf(verifier.answer)).toBe("OIDC_CODE_REJECTED");
    expect(idp.refusals).toContain("PKCE verifier");
  });

  it("refuses an ID token with another nonce or audience, expired, or signed by another key", async () => {
    const twists: [string, IdpTwist, RegExp][] = [
      ["nonce", { nonce: "not the login's nonce" }, /"nonce"/],
      ["audience", { audience: "someone-else" }, /"aud"/],
      ["expired", { expiresIn: -120 }, /"exp"/],
      ["key", { foreignKey: true }, /signature/],
    ];
    for (const [name, twist, why] of twists) {
      const { answer } = await sso("wang.fang", twist, `oidc-token-${name}`);
      expect(answer.status, name).toBe(401);
      expect(sessionCookieOf(answer), name).toBeUndefined();
      expect(await json(answer), name).toMatchObject({
        errors: [{ message: expect.stringMatching(why), extensions: { code: "OIDC_TOKEN_INVALID" } }],
      });
      expect((await recordsOf(`oidc-token-${name}`))[0], name).toMatchObject({
        errorCode: "OIDC_TOKEN_INVALID",
        outcome: "denied",
      });
    }
    const unnamed = await sso("wang.fang", { noUsername: true });
    expect(await codeOf(unnamed.answer)).toBe("OIDC_CLAIM_MISSING");
  });

  it("refuses a person who is no console user, or a disabled one, with a page a browser can show", async () => {
    const unknown = await sso("nobody.here", {}, "oidc-unknown");
    expect(unknown.answer.status).toBe(403);
    expect(await codeOf(unknown.answer)).toBe("OIDC_UNKNOWN_USER");
    expect((await recordsOf("oidc-unknown"))[0]).toMatchObject({
      errorCode: "OIDC_UNKNOWN_USER",
      outcome: "denied",
      operatorId: "nobody.here",
      clientId: null,
    });
    await createUser("zhao.min");
    const disabled = await fetch(`${base}/admin/users/zhao.min/disable`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.keys.admin}` },
    });
    expect(disabled.status).toBe(200);
    idp.next = { username: "zhao.min", twist: {} };
    const login = await startLogin();
    const callbackUrl = (await get(login.authorize)).headers.get("location")!;
    const page = await get(callbackUrl, {
      cookie: login.cookie,
      accept: "text/html",
      "x-request-id": "oidc-disabled",
    });
    expect(page.status).toBe(403);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain("OIDC_USER_DISABLED");
    expect(html).toContain('<a href="/console/">');
    expect(html).not.toMatch(/\bat \w+ \(|node_modules/);
    expect((await recordsOf("oidc-disabled"))[0]).toMatchObject({ errorCode: "OIDC_USER_DISABLED" });
  });

  it("refuses when the provider sends the person back with an error", async () => {
    const { answer, callbackUrl } = await sso("wang.fang", { error: "access_denied" }, "oidc-idp-error");
    expect(new URL(callbackUrl).searchParams.get("error")).toBe("access_denied");
    expect(answer.status).toBe(401);
    const body = await json(answer);
    expect(body).toMatchObject({
      errors: [{ message: expect.stringContaining("access_denied"), extensions: { code: "OIDC_IDP_ERROR" } }],
    });
    expect((await recordsOf("oidc-idp-error"))[0]).toMatchObject({
      errorCode: "OIDC_IDP_ERROR",
      outcome: "denied",
    });
  });

  // Last: it spends this address's login budget for the minute.
  it("counts single sign-on starts against the address's login budget", async () => {
    let limited: Response | undefined;
    for (let n = 0; n <= LOGIN_ATTEMPTS_PER_MINUTE && !limited; n += 1) {
      const answer = await get(`${base}/console/api/oidc/login`);
      if (answer.status === 429) limited = answer;
      else expect(answer.status).toBe(303);
    }
    expect(limited?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await codeOf(limited!)).toBe("RATE_LIMITED");
  });
});
