import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_JWKS_PATH, SCHEMA_DIR, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { REGISTRY_DEFAULTS, supergraphSubgraphs } from "@onecert/schema-registry";
import type { SubgraphDetails, SubgraphView, CheckReport, VersionSummary } from "@onecert/schema-registry";
import {
  MARRIAGE_DEPARTMENT,
  MARRIAGE_MATTER,
  marriageMattersDir,
  marriageSdl,
  marriages,
  startMarriageRegistry,
  type RunningMarriageRegistry,
} from "../fixtures/marriage/server";
import { postGraphQL, startTestStack, TEST_WORLD, type TestStack } from "../support/stack";
import { runCli } from "../support/cli";

/**
 * A fifth department joins at run time: the civil-affairs marriage registry is checked,
 * registered and queried through the running gateway, a change that does not compose is
 * rejected, a breaking one is reported and published only with an override, then rolled back.
 */

const scratch = mkdtempSync(join(tmpdir(), "onecert-registry-"));
let t: TestStack;
let marriage: RunningMarriageRegistry;
let base = "";
const keys = { civil: "", security: "", window: "" };
let windowName = "";
let couple = "";
let spouse = "";

/** Calls the admin API as the holder of `key`. */
async function admin<T = unknown>(key: string, method: "GET" | "POST", path: string, body?: unknown) {
  const response = await fetch(`${base}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as {
    data?: T;
    error?: { code: string; message: string; details?: CheckReport };
  };
  return { status: response.status, ...json };
}

/** Runs `onecert ...` in this process against the test gateway with `key`. */
const cli = (key: string, args: string[]) => runCli(base, key, args);

const MARRIAGE_QUERY = `query($id: IdNumber!) {
  person(idNumber: $id) { name spouse { idNumber } marriage { status spouseIdNumber registeredOn } }
}`;
const STATUS_QUERY = `query($id: IdNumber!) { person(idNumber: $id) { marriage { status } } }`;
const OFFICE_QUERY = `query($id: IdNumber!) { person(idNumber: $id) { marriage { registrationOffice } } }`;

type MarriageReply = {
  person: {
    name: string;
    spouse: { idNumber: string } | null;
    marriage: { status: string; spouseIdNumber: string | null; registeredOn?: string } | null;
  };
};

const asMatter = (key: string) => ({
  authorization: `Bearer ${key}`,
  "x-operator-id": "registry-clerk",
  "x-matter-code": MARRIAGE_MATTER,
});
const query = <T = MarriageReply>(text: string, key: string) =>
  postGraphQL<T>(t.stack.gateway.url, text, { id: couple }, asMatter(key));

/** Polls `probe` every 100 ms until it holds, failing after `ms` (the bound for replicas: 5 s). */
async function within(ms: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  const mattersDir = marriageMattersDir(join(scratch, "matters"), SCHEMA_DIR);
  t = await startTestStack({
    gateway: {
      supergraph: { kind: "registry", path: SUPERGRAPH_PATH },
      mattersDir,
      registry: { ...REGISTRY_DEFAULTS, healthIntervalMs: 300, usageFlushMs: 200 },
    },
  });
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
  marriage = await startMarriageRegistry(TEST_WORLD, {
    jwksUrl: t.stack.gateway.url.replace(/\/graphql$/, GATEWAY_JWKS_PATH),
  });
  const { identity } = t.stack.gateway.access;
  const create = async (name: string, role: string, department: string) =>
    (await identity.createClient({ name, role, department } as never)).apiKey;
  keys.civil = await create("civil-affairs-registry", "department", MARRIAGE_DEPARTMENT);
  keys.security = await create("public-security-registry", "department", "public-security");
  windowName = "marriage-window";
  keys.window = await create(windowName, "window", "government-service-center");
  const records = marriages(TEST_WORLD);
  couple = t.sample("couple-newborn-parent-a");
  spouse = t.sample("couple-newborn-parent-b");
  expect(records.get(couple)?.spouseIdNumber).toBe(spouse);
});

afterAll(async () => {
  await marriage?.stop();
  await t?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("department registry", () => {
  it("starts from version 1, bootstrapped from schema/, with every subgraph's department and health", async () => {
    const versions = await admin<VersionSummary[]>(keys.civil, "GET", "/registry/versions");
    expect(versions.status).toBe(200);
    expect(versions.data!.map((version) => [version.version, version.action])).toEqual([[1, "bootstrap"]]);
    const expected = supergraphSubgraphs(readFileSync(SUPERGRAPH_PATH, "utf8")).map((graph) => graph.name);
    const list = await admin<SubgraphView[]>(keys.civil, "GET", "/subgraphs");
    expect(list.data!.map((subgraph) => subgraph.name).sort()).toEqual([...expected].sort());
    expect(list.data!.find((subgraph) => subgraph.name === "population")!.department).toBe("public-security");
    await within(5000, async () => {
      const ready = await fetch(`${base}/ready`, { headers: { authorization: `Bearer ${t.keys.admin}` } });
      const body = (await ready.json()) as { supergraphVersion: number; subgraphs: { lastError: unknown }[] };
      return (
        ready.status === 200 && body.supergraphVersion === 1 && body.subgraphs.length === expected.length
      );
    });
  });

  it("lets a department register only its own subgraphs, and no window at all", async () => {
    const body = { name: "marriage", department: "public-security", url: marriage.url, sdl: marriageSdl() };
    const foreign = await admin(keys.civil, "POST", "/subgraphs", body);
    expect(foreign.status).toBe(403);
    expect(foreign.error).toMatchObject({ code: "FORBIDDEN" });
    expect(foreign.error!.message).toMatch(/own department's subgraphs/);
    const window = await admin(keys.window, "POST", "/subgraphs", {
      ...body,
      department: MARRIAGE_DEPARTMENT,
    });
    expect(window.status).toBe(403);
    const takeover = await admin(keys.civil, "POST", "/subgraphs/population/update", { url: marriage.url });
    expect(takeover.status).toBe(403);
    // Nor may it have the gateway read another department's subgraph for it.
    const peek = await admin(keys.civil, "POST", "/subgraphs/population/introspect", {});
    expect([peek.status, peek.error?.code]).toEqual([403, "FORBIDDEN"]);
    expect((await admin<VersionSummary[]>(keys.civil, "GET", "/registry/versions")).data).toHaveLength(1);
  });

  it("checks and registers the civil-affairs marriage registry; the gateway serves it without a restart", async () => {
    const file = join(scratch, "marriage.graphql");
    writeFileSync(file, marriageSdl());
    // The SDL as the running subgraph serves it: the gateway reads it, signed like any call.
    const check = await cli(keys.civil, [
      "subgraph",
      "check",
      "marriage",
      "--introspect",
      "--url",
      marriage.url,
    ]);
    expect(check.stderr).toBe("");
    expect(check.stdout).toMatch(/composition: ok/);
    expect(check.code).toBe(0);
    const before = await query(MARRIAGE_QUERY, keys.window);
    expect(before.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");

    const registered = await cli(keys.civil, [
      "subgraph",
      "register",
      "marriage",
      "--url",
      marriage.url,
      "--schema",
      file,
      "--contact",
      "civil-affairs data desk",
      "--update-cycle",
      "daily",
    ]);
    expect(registered.stderr).toBe("");
    expect(registered.stdout).toMatch(/Published supergraph version 2: register marriage/);
    await within(5000, async () => !(await query(STATUS_QUERY, keys.window)).errors);
    // CONDITIONAL spouseIdNumber needs a grant for the matter, which can name the field only now.
    const { grants, identity } = t.stack.gateway.access;
    const clients = await identity.listClients();
    const windowClient = clients.find((client) => client.name === windowName)!;
    const adminClient = clients.find((client) => client.role === "admin")!;
    const request = await grants.request({
      clientId: windowClient.id,
      fields: ["Marriage.spouseIdNumber", "Person.spouse", "Person.maritalStatus", "Person.idNumber"],
      matters: [MARRIAGE_MATTER],
      clearValues: true,
      validUntil: new Date(Date.now() + 86_400_000),
      reason: "registry e2e",
      requestedBy: adminClient.id,
    });
    await grants.approve(request.id, adminClient.id);
    const reply = await query(MARRIAGE_QUERY, keys.window);
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.person.marriage).toMatchObject({ status: "MARRIED", spouseIdNumber: spouse });
    // Across departments: the population registry's spouse and civil affairs' record agree.
    expect(reply.data!.person.spouse!.idNumber).toBe(reply.data!.person.marriage!.spouseIdNumber);
    expect(marriage.requests()).toBeGreaterThan(0);
  });

  it("keeps the new registry's NOT_SHARED field to civil-affairs clients", async () => {
    const window = await query(OFFICE_QUERY, keys.window);
    expect(window.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(window.errors![0].message).toMatch(
      /Marriage.registrationOffice is NOT_SHARED outside civil-affairs/,
    );
    const security = await query(OFFICE_QUERY, keys.security);
    expect(security.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const own = await query<{ person: { marriage: { registrationOffice: string } } }>(
      OFFICE_QUERY,
      keys.civil,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.person.marriage.registrationOffice).toMatch(
      /^Synthetic civil-affairs marriage office 99/,
    );
  });

  it("rejects a change that does not compose, with the composition errors", async () => {
    const rejected = await admin(keys.civil, "POST", "/subgraphs/marriage/update", {
      sdl: marriageSdl("broken"),
    });
    expect(rejected.status).toBe(422);
    expect(rejected.error!.code).toBe("COMPOSITION_FAILED");
    expect(rejected.error!.details!.compositionErrors.join("\n")).toMatch(/Person\.name/);
    const versions = await admin<VersionSummary[]>(keys.civil, "GET", "/registry/versions");
    expect(versions.data!.map((version) => version.version)).toEqual([2, 1]);
  });

  it("refuses an SDL the running subgraph does not serve, with SDL_MISMATCH and the diff", async () => {
    // Even with an override: the gateway would plan queries against fields nobody serves.
    const refused = await admin(keys.civil, "POST", "/subgraphs/marriage/update", {
      sdl: marriageSdl("breaking"),
      override: true,
      reason: "not deployed yet",
    });
    expect([refused.status, refused.error?.code]).toEqual([409, "SDL_MISMATCH"]);
    const { diff } = refused.error!.details as unknown as { diff: string };
    expect(diff.split("\n").filter((line) => /^[-+] /.test(line))).toEqual(["+  registeredOn: Date!"]);
    expect(refused.error!.message).toContain(`served by marriage at ${marriage.url}`);
    const versions = await admin<VersionSummary[]>(keys.civil, "GET", "/registry/versions");
    expect(versions.data!.map((version) => version.version)).toEqual([2, 1]);
  });

  it("reports a breaking change with the clients that used the field, publishes it only with an override, and rolls back", async () => {
    const sdl = marriageSdl("breaking");
    const check = await admin<CheckReport>(keys.civil, "POST", "/subgraphs/marriage/check", { sdl });
    expect(check.status).toBe(200);
    expect(check.data!.ok).toBe(false);
    expect(check.data!.breaking.map((item) => item.field)).toEqual(["Marriage.registeredOn"]);
    expect(check.data!.breaking[0].clients.map((client) => client.name)).toContain(windowName);

    const refused = await admin(keys.civil, "POST", "/subgraphs/marriage/update", { sdl });
    expect(refused.status).toBe(409);
    expect(refused.error!.code).toBe("BREAKING_CHANGE");
    expect(refused.error!.message).toMatch(/Marriage\.registeredOn \(used by marriage-window/);

    const reason = "registration date moves to the certificate service";
    // The department deploys the change first: the registry publishes only what the subgraph serves.
    await marriage.serve("breaking");
    const forced = await admin<{ version: VersionSummary }>(
      keys.civil,
      "POST",
      "/subgraphs/marriage/update",
      {
        sdl,
        override: true,
        reason,
      },
    );
    expect(forced.status).toBe(201);
    expect(forced.data!.version).toMatchObject({ version: 3, action: "update", override: true, reason });
    await within(5000, async () => {
      const reply = await query(MARRIAGE_QUERY, keys.window);
      return reply.errors?.[0]?.extensions?.code === "GRAPHQL_VALIDATION_FAILED";
    });

    await marriage.serve("schema");
    const rollback = await cli(keys.civil, ["subgraph", "rollback", "2"]);
    expect(rollback.stderr).toBe("");
    expect(rollback.stdout).toMatch(/Published supergraph version 4: rollback to version 2/);
    await within(5000, async () => !(await query(MARRIAGE_QUERY, keys.window)).errors);

    const history = await cli(keys.civil, ["subgraph", "history", "--json"]);
    const versions = JSON.parse(history.stdout) as VersionSummary[];
    expect(versions.map((version) => [version.version, version.action])).toEqual([
      [4, "rollback"],
      [3, "update"],
      [2, "register"],
      [1, "bootstrap"],
    ]);
    expect(versions[0].rollbackOf).toBe(2);
    expect(versions[1].breaking[0].field).toBe("Marriage.registeredOn");
    expect(versions[2].actor.name).toBe("civil-affairs-registry");
    const details = await admin<SubgraphDetails>(keys.civil, "GET", "/subgraphs/marriage");
    expect(details.data).toMatchObject({
      department: MARRIAGE_DEPARTMENT,
      contact: "civil-affairs data desk",
    });
    expect(details.data!.sdlVersions.map((version) => version.version)).toEqual([1, 2]);
  });

  it("shows a subgraph that went down, with its last error, in /ready and the registry API", async () => {
    await marriage.stop();
    await within(5000, async () => {
      const details = await admin<SubgraphDetails>(keys.civil, "GET", "/subgraphs/marriage");
      return details.data!.health?.status === "down" && details.data!.health.lastError === "unreachable";
    });
    const ready = await fetch(`${base}/ready`, { headers: { authorization: `Bearer ${t.keys.admin}` } });
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { subgraphs: { name: string; status: string; lastError: string }[] };
    expect(body.subgraphs.find((subgraph) => subgraph.name === "marriage")).toMatchObject({
      status: "down",
      lastError: "unreachable",
    });
    const population = body.subgraphs.find((subgraph) => subgraph.name === "population");
    expect(population).toMatchObject({ status: "up", lastError: null });
    // Nor is a subgraph registered or moved where nothing answers: what it serves is unknown.
    const moved = await admin(keys.civil, "POST", "/subgraphs/marriage/update", {
      url: "http://127.0.0.1:9/graphql",
    });
    expect([moved.status, moved.error?.code]).toEqual([502, "SUBGRAPH_UNREACHABLE"]);
  });
});
