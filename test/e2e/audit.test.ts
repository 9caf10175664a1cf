import { connect } from "node:net";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyFiles, verifyStore, type AuditRecord, type AuditStore } from "@onecert/audit";
import { fromRow } from "@onecert/audit";
import { loadGatewayConfig, startGateway, type RunningGateway } from "@onecert/gateway";
import { README_QUERY } from "@onecert/cli";
import { exchange, scratchDir, testAuditConfig } from "../support/audit";
import { startTestStack, TEST_MATTER, type TestStack } from "../support/stack";

/**
 * The audit trail end to end: what a request leaves in the log (data, denied, unauthenticated,
 * admin, metrics), the auditor API on top of it, and what happens when the log cannot be written.
 */

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const MASKED_ID = /^\d{6}\*{8}[\dX]{4}$/;
const scratch = scratchDir();
let t: TestStack;
let base: string;
let store: AuditStore;
let showcase: string;
const keys: Record<"auditor" | "masked" | "police", string> = { auditor: "", masked: "", police: "" };

async function recordsOf(requestId: string, from = t.stack.gateway): Promise<AuditRecord[]> {
  const rows = await from.audit!.store.db.query<Record<string, unknown>>(
    "SELECT * FROM audit.records WHERE request_id = $1 ORDER BY seq",
    [requestId],
  );
  return rows.map(fromRow);
}

const gql = (requestId: string, query: string, variables: Record<string, unknown>, headers = t.headers) =>
  exchange(t.stack.gateway.url, {
    headers: { ...headers, "x-request-id": requestId },
    body: { query, variables },
  });

const asAuditor = (path: string) =>
  exchange(`${base}${path}`, { headers: { authorization: `Bearer ${keys.auditor}` } });

beforeAll(async () => {
  const weekday = ((new Date(Date.now() + 8 * 3600_000).getUTCDay() + 6) % 7) + 1;
  t = await startTestStack({
    gateway: {
      audit: testAuditConfig(scratch.dir, {
        anomalies: {
          subjectsPerHour: 3,
          denials: 3,
          denialWindowMinutes: 60,
          workStartMinute: 480,
          workEndMinute: 1080,
          // Today is not a working day, so every access of this test is outside working hours.
          workingDays: [1, 2, 3, 4, 5, 6, 7].filter((day) => day !== weekday),
          timeZone: "Asia/Shanghai",
        },
      }),
    },
  });
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
  store = t.stack.gateway.audit!.store;
  showcase = t.sample("person-showcase");
  const { identity, grants } = t.stack.gateway.access;
  const make = async (name: string, role: "auditor" | "window" | "department", department: string) =>
    identity.createClient({ name, role, department });
  keys.auditor = (await make("e2e-auditor", "auditor", "audit-office")).apiKey;
  const masked = await make("e2e-masked-window", "window", "government-service-center");
  keys.masked = masked.apiKey;
  const admin = (await identity.listClients()).find((client) => client.role === "admin")!;
  const requested = await grants.request({
    clientId: masked.client.id,
    fields: ["Person.*", "Household.*", "HouseholdMember.*"],
    matters: [TEST_MATTER],
    clearValues: false,
    validUntil: new Date(Date.now() + 86_400_000),
    reason: "masked view",
    requestedBy: admin.id,
  });
  await grants.approve(requested.id, admin.id);
  keys.police = (await make("e2e-police", "department", "public-security")).apiKey;
});

afterAll(async () => {
  await t?.stop();
  scratch.cleanup();
});

describe("what a request leaves in the audit log", () => {
  it("records a data request: who, why, about whom, what was returned, and a digest of the response", async () => {
    const reply = await gql(
      "audit-readme",
      README_QUERY,
      { id: showcase },
      { ...t.headers, "x-case-number": "CASE-2026-001" },
    );
    expect(reply.status).toBe(200);
    const data = (reply.json() as { data: { person: Record<string, unknown> } }).data.person;
    const [record] = await recordsOf("audit-readme");
    expect(record).toMatchObject({
      kind: "graphql",
      clientName: "e2e-window",
      role: "window",
      department: "government-service-center",
      operatorId: "e2e-clerk",
      matterCode: TEST_MATTER,
      caseNumber: "CASE-2026-001",
      operationName: "Citizen",
      operationHash: sha256(README_QUERY),
      outcome: "ok",
      errorCode: null,
      status: 200,
      responseDigest: `sha256:${sha256(reply.text)}`,
    });
    const units = (data.realEstate as { unitNumber: string }[]).map((home) => home.unitNumber);
    const enterprises = (data.enterprisesRepresented as { uscc: string }[]).map((e) => e.uscc);
    expect(units.length + enterprises.length).toBeGreaterThan(0);
    expect(record.subjects).toEqual(expect.arrayContaining([showcase, ...units, ...enterprises]));
    expect(record.fields).toEqual(
      expect.arrayContaining(["person.name", "person.household.members.person.name"]),
    );
    expect(record.subgraphs).toEqual(["legal-entity", "population", "property", "social-insurance"]);
    expect(record.latencyUs).toBeGreaterThan(0);
  });

  it("records the clear identifiers of a response that was masked", async () => {
    const query = `query($id: IdNumber!) { person(idNumber: $id) { idNumber household { members { person { idNumber } } } } }`;
    const clear = await gql("audit-clear", query, { id: showcase });
    const masked = await gql(
      "audit-masked",
      query,
      { id: showcase },
      { ...t.headers, authorization: `Bearer ${keys.masked}` },
    );
    type Reply = {
      data: { person: { idNumber: string; household: { members: { person: { idNumber: string } }[] } } };
    };
    const members = (clear.json() as Reply).data.person.household.members.map((m) => m.person.idNumber);
    const shown = (masked.json() as Reply).data.person.household.members.map((m) => m.person.idNumber);
    expect(members.length).toBeGreaterThan(1);
    for (const id of shown) expect(id).toMatch(MASKED_ID);
    const [record] = await recordsOf("audit-masked");
    expect(record.subjects).toEqual(expect.arrayContaining(members));
    expect(record.responseDigest).toBe(`sha256:${sha256(masked.text)}`);
  });

  it("records denials with the subjects asked about, including identifiers written into the query", async () => {
    const headers = { ...t.headers, "x-matter-code": "household-registration" };
    for (const n of [1, 2, 3]) {
      const reply = await gql(
        `audit-denied-${n}`,
        `{ person(idNumber: "${showcase}") { phone } }`,
        {},
        headers,
      );
      expect(reply.status).toBe(403);
    }
    const [record] = await recordsOf("audit-denied-1");
    expect(record).toMatchObject({
      outcome: "denied",
      errorCode: "FORBIDDEN",
      status: 403,
      subjects: [showcase],
    });
    expect(record.fields).toEqual([]);
  });

  it("records a request refused for oversized headers before any handler saw it (431)", async () => {
    const before = await t.stack.gateway.audit!.store.db.query<{ seq: string }>(
      "SELECT coalesce(max(seq), 0) AS seq FROM audit.records",
    );
    const reply = await rawRequest(new URL(t.stack.gateway.url), "x".repeat(20_000));
    expect(reply.status).toBe(431);
    expect(JSON.parse(reply.body)).toEqual({
      errors: [{ message: "the request headers are too large", extensions: { code: "HEADERS_TOO_LARGE" } }],
    });
    const rows = await t.stack.gateway.audit!.store.db.query<Record<string, unknown>>(
      "SELECT * FROM audit.records WHERE seq > $1 AND status = 431",
      [before[0].seq],
    );
    expect(rows.map(fromRow)).toEqual([
      expect.objectContaining({
        kind: "http",
        outcome: "error",
        errorCode: "HEADERS_TOO_LARGE",
        clientId: null,
      }),
    ]);
  });

  it("records requests that never reach GraphQL: unauthenticated, admin API, metrics", async () => {
    const anonymous = await exchange(t.stack.gateway.url, {
      headers: { "x-request-id": "audit-anon" },
      body: { query: "{ __typename }" },
    });
    expect(anonymous.status).toBe(401);
    expect((await recordsOf("audit-anon"))[0]).toMatchObject({
      kind: "graphql",
      clientId: null,
      outcome: "denied",
      errorCode: "UNAUTHENTICATED",
      status: 401,
    });
    const admin = await exchange(`${base}/admin/clients`, {
      headers: { authorization: `Bearer ${t.keys.admin}`, "x-request-id": "audit-admin" },
    });
    expect(admin.status).toBe(200);
    expect((await recordsOf("audit-admin"))[0]).toMatchObject({
      kind: "admin",
      method: "GET",
      path: "/admin/clients",
      role: "admin",
      outcome: "ok",
    });
    const metrics = await exchange(`${base}/metrics`, {
      headers: { authorization: `Bearer ${keys.auditor}`, "x-request-id": "audit-metrics" },
    });
    expect(metrics.status).toBe(200);
    expect((await recordsOf("audit-metrics"))[0]).toMatchObject({
      kind: "metrics",
      role: "auditor",
      outcome: "ok",
    });
  });
});

describe("the auditor API", () => {
  it("is for auditors only, and auditors cannot read registry data", async () => {
    const asAdmin = await exchange(`${base}/admin/audit/records`, {
      headers: { authorization: `Bearer ${t.keys.admin}` },
    });
    expect(asAdmin.status).toBe(403);
    const asWindow = await exchange(`${base}/admin/audit/export`, {
      headers: { authorization: `Bearer ${t.keys.window}` },
    });
    expect(asWindow.status).toBe(403);
    const read = await gql(
      "audit-auditor-reads",
      "query($id: IdNumber!) { person(idNumber: $id) { name } }",
      { id: showcase },
      {
        ...t.headers,
        authorization: `Bearer ${keys.auditor}`,
      },
    );
    expect(read.status).toBe(403);
    expect((await recordsOf("audit-auditor-reads"))[0]).toMatchObject({ role: "auditor", outcome: "denied" });
  });

  it("searches by subject, client, operator, matter, outcome and time, page by page", async () => {
    type Page = { data: { records: AuditRecord[]; nextCursor: string | null } };
    const all = (
      await asAuditor(`/admin/audit/records?subject=${showcase}&kind=graphql&limit=500`)
    ).json() as Page;
    const ids = all.data.records.map((record) => record.requestId);
    expect(ids).toEqual(
      expect.arrayContaining(["audit-readme", "audit-masked", "audit-denied-1", "audit-auditor-reads"]),
    );
    expect(all.data.records.every((record) => record.subjects.includes(showcase))).toBe(true);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (
        await asAuditor(
          `/admin/audit/records?subject=${showcase}&kind=graphql&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        )
      ).json() as Page;
      expect(page.data.records.length).toBeLessThanOrEqual(2);
      walked.push(...page.data.records.map((record) => record.requestId));
      cursor = page.data.nextCursor;
    } while (cursor);
    expect(walked).toEqual(ids);
    // The auditor's own look-ups name the subject too, and are recorded as such.
    const lookups = (
      await asAuditor(`/admin/audit/records?subject=${showcase}&kind=admin&client=e2e-auditor`)
    ).json() as Page;
    expect(lookups.data.records.length).toBeGreaterThan(1);
    const denied = (
      await asAuditor(`/admin/audit/records?outcome=denied&operator=e2e-clerk&matter=household-registration`)
    ).json() as Page;
    expect(denied.data.records.map((record) => record.requestId).sort()).toEqual([
      "audit-denied-1",
      "audit-denied-2",
      "audit-denied-3",
    ]);
    const byClient = (await asAuditor(`/admin/audit/records?client=e2e-masked-window`)).json() as Page;
    expect(byClient.data.records.map((record) => record.requestId)).toEqual(["audit-masked"]);
    const future = (await asAuditor(`/admin/audit/records?from=2999-01-01`)).json() as Page;
    expect(future.data.records).toEqual([]);
    expect((await asAuditor(`/admin/audit/records?cursor=bogus`)).status).toBe(400);
    expect((await asAuditor(`/admin/audit/records?outcome=maybe`)).status).toBe(400);
  });

  it("exports CSV and NDJSON, and the chain as a file that verifies offline", async () => {
    const csv = await asAuditor(`/admin/audit/export?format=csv&subject=${showcase}`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toMatch(/^seq,at,request_id,/);
    expect(lines.some((line) => line.includes("audit-readme"))).toBe(true);
    const ndjson = await asAuditor(`/admin/audit/export?format=ndjson&outcome=denied`);
    const exported = ndjson.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditRecord);
    expect(exported.length).toBeGreaterThanOrEqual(3);
    expect(exported.every((record) => record.outcome === "denied")).toBe(true);
    const chain = await exchange(`${base}/admin/audit/chain`, {
      headers: { authorization: `Bearer ${keys.auditor}`, "x-request-id": "audit-chain-download" },
    });
    expect(chain.status).toBe(200);
    const file = join(scratch.dir, "chain.ndjson");
    writeFileSync(file, chain.text);
    const outcome = await verifyFiles([file]);
    expect(outcome.problem).toBeUndefined();
    expect(outcome.ok).toBe(true);
    expect(outcome.records).toBeGreaterThan(5);
    expect((await recordsOf("audit-chain-download"))[0]).toMatchObject({
      kind: "admin",
      responseDigest: "stream",
    });
  });

  it("shows a subject who accessed them and why, leaving restricted matters out", async () => {
    const police = {
      authorization: `Bearer ${keys.police}`,
      "x-operator-id": "officer-9",
      "x-matter-code": "criminal-investigation",
    };
    const read = await gql(
      "audit-investigation",
      "query($id: IdNumber!) { person(idNumber: $id) { name status } }",
      { id: showcase },
      police,
    );
    expect(read.status).toBe(200);
    type History = {
      data: { accesses: { matter: string; client: string; operator: string; fields: string[] }[] };
    };
    const history = (await asAuditor(`/admin/audit/subjects/${showcase}/history`)).json() as History;
    expect(
      history.data.accesses.some((access) => access.matter === TEST_MATTER && access.client === "e2e-window"),
    ).toBe(true);
    expect(history.data.accesses.some((access) => access.matter === "criminal-investigation")).toBe(false);
    expect(history.data.accesses.some((access) => access.operator === "officer-9")).toBe(false);
    const search = (await asAuditor(`/admin/audit/records?matter=criminal-investigation`)).json() as {
      data: { records: AuditRecord[] };
    };
    expect(search.data.records.map((record) => record.requestId)).toContain("audit-investigation");
    expect((await asAuditor(`/admin/audit/subjects/123/history`)).status).toBe(400);
  });

  it("shows in the subject's history what was refused or failed too, with its outcome and nothing returned", async () => {
    // A department reading another department's NOT_SHARED field about the person: denied.
    const denied = await gql(
      "audit-history-denied",
      "query($id: IdNumber!) { person(idNumber: $id) { phone } }",
      { id: showcase },
      { authorization: `Bearer ${keys.masked}`, "x-operator-id": "clerk-5", "x-matter-code": TEST_MATTER },
    );
    expect(denied.status).toBe(403);
    type History = {
      data: {
        accesses: {
          operator: string;
          outcome: string;
          status: number;
          errorCode: string;
          fields: string[];
        }[];
      };
    };
    const history = (await asAuditor(`/admin/audit/subjects/${showcase}/history`)).json() as History;
    expect(history.data.accesses.find((access) => access.operator === "clerk-5")).toMatchObject({
      outcome: "denied",
      status: 403,
      errorCode: "FORBIDDEN",
      fields: [],
    });
    expect(history.data.accesses.find((access) => access.outcome === "ok")).toMatchObject({ status: 200 });
  });

  it("counts calls per department, registry and day, and flags anomalies", async () => {
    const ids = ["person-one-home", "person-two-homes", "person-retired", "person-deceased"].map((c) =>
      t.sample(c),
    );
    const many = await gql(
      "audit-many-subjects",
      "query($ids: [IdNumber!]!) { persons(idNumbers: $ids) { status } }",
      { ids },
    );
    expect(many.status).toBe(200);
    type Stats = {
      data: {
        perDepartment: { key: string; calls: number; denied: number }[];
        perRegistry: { key: string }[];
        perDay: { key: string }[];
      };
    };
    const stats = (await asAuditor("/admin/audit/stats")).json() as Stats;
    const window = stats.data.perDepartment.find((tally) => tally.key === "government-service-center");
    expect(window!.calls).toBeGreaterThan(3);
    expect(window!.denied).toBeGreaterThanOrEqual(3);
    expect(stats.data.perRegistry.map((tally) => tally.key)).toEqual(
      expect.arrayContaining(["population", "property"]),
    );
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    expect(stats.data.perDay.map((tally) => tally.key)).toContain(today);
    type Flags = {
      data: {
        anomalies: { kind: string; operatorId: string | null; clientName: string | null; count: number }[];
      };
    };
    const flags = (await asAuditor("/admin/audit/anomalies")).json() as Flags;
    const kinds = (kind: string) => flags.data.anomalies.filter((anomaly) => anomaly.kind === kind);
    expect(kinds("subjects-per-hour").some((a) => a.operatorId === "e2e-clerk" && a.count > 3)).toBe(true);
    expect(kinds("denial-burst").some((a) => a.clientName === "e2e-window" && a.count >= 3)).toBe(true);
    expect(kinds("outside-working-hours").some((a) => a.operatorId === "e2e-clerk")).toBe(true);
  });
});

describe("when the log cannot be written", () => {
  const moveChain = (away: boolean, gateway = t.stack.gateway) =>
    gateway.audit!.store.db.exec(
      away
        ? "ALTER TABLE audit.chain RENAME TO chain_moved"
        : "ALTER TABLE audit.chain_moved RENAME TO chain",
    );

  it("fails closed: no data leaves without its record", async () => {
    await moveChain(true);
    try {
      const reply = await gql("audit-refused", README_QUERY, { id: showcase });
      expect(reply.status).toBe(503);
      expect(reply.json()).toEqual({
        errors: [
          { message: expect.stringContaining("audit trail"), extensions: { code: "AUDIT_UNAVAILABLE" } },
        ],
      });
      expect(reply.text).not.toContain("realEstate");
    } finally {
      await moveChain(false);
    }
    expect((await gql("audit-after", README_QUERY, { id: showcase })).status).toBe(200);
    // Its record could not be written; the refusal written after it may be, and says 503.
    expect((await recordsOf("audit-refused")).every((record) => record.status === 503)).toBe(true);
    expect(await recordsOf("audit-after")).toHaveLength(1);
  });

  it("answers 503 with retry-after, never 500, when the credentials cannot be read, and records it", async () => {
    // A key never used before, so no replica holds it in memory.
    const fresh = await t.stack.gateway.access.identity.createClient({
      name: "e2e-fresh-window",
      role: "window",
      department: "government-service-center",
    });
    await t.stack.db.exec("ALTER TABLE access.api_keys RENAME TO api_keys_moved");
    let reply;
    try {
      reply = await gql(
        "audit-auth-outage",
        README_QUERY,
        { id: showcase },
        {
          ...t.headers,
          authorization: `Bearer ${fresh.apiKey}`,
        },
      );
    } finally {
      await t.stack.db.exec("ALTER TABLE access.api_keys_moved RENAME TO api_keys");
    }
    expect(reply.status).toBe(503);
    expect(reply.headers.get("retry-after")).toBe("5");
    expect(reply.json()).toMatchObject({ errors: [{ extensions: { code: "AUTHENTICATION_UNAVAILABLE" } }] });
    const [record] = await recordsOf("audit-auth-outage");
    expect(record).toMatchObject({ status: 503, outcome: "error", errorCode: "AUTHENTICATION_UNAVAILABLE" });
  });

  it("in spool mode serves the request, keeps the record on disk and replays it without loss", async () => {
    const spoolDir = join(scratch.dir, "spool-gateway");
    // A second gateway on the same registries, spooling; with the embedded database it has an
    // audit database of its own (in memory, like the test's), so the test reads that one.
    const spooled: RunningGateway = await startGateway(
      loadGatewayConfig(process.env, {
        port: 0,
        subgraphUrls: Object.fromEntries(t.stack.registries.map((service) => [service.name, service.url])),
        audit: testAuditConfig(scratch.dir, { failureMode: "spool", spoolDir, replica: "spool-replica" }),
      }),
      { db: t.stack.db },
    );
    try {
      await moveChain(true, spooled);
      let reply;
      try {
        reply = await exchange(spooled.url, {
          headers: { ...t.headers, "x-request-id": "audit-spooled" },
          body: { query: README_QUERY, variables: { id: showcase } },
        });
      } finally {
        await moveChain(false, spooled);
      }
      expect(reply.status).toBe(200);
      const spooledText = () =>
        readdirSync(spoolDir)
          .filter((name) => name.endsWith(".ndjson"))
          .map((name) => readFileSync(join(spoolDir, name), "utf8"))
          .join("");
      expect(spooledText()).toContain("audit-spooled");
      expect(await recordsOf("audit-spooled", spooled)).toEqual([]);
      expect(await spooled.audit!.replaySpool()).toBeGreaterThanOrEqual(1);
      const [record] = await recordsOf("audit-spooled", spooled);
      expect(record).toMatchObject({ replica: "spool-replica", outcome: "ok" });
      expect(spooledText()).toBe("");
      expect(await verifyStore(spooled.audit!.store)).toMatchObject({ ok: true });
    } finally {
      await spooled.stop();
    }
  });

  it("refuses to rotate a checkpoint key kept as a file, saying how to rotate it", async () => {
    const refused = await exchange(`${base}/admin/audit/keys/rotate`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.keys.admin}` },
    });
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: "KEY_ROTATION_UNSUPPORTED", message: expect.stringContaining("AUDIT_SIGNING_KEY_FILE") },
    });
  });

  it("leaves a log that verifies", async () => {
    const outcome = await verifyStore(store);
    expect(outcome.problem).toBeUndefined();
    expect(outcome.ok).toBe(true);
    expect(outcome.lastSeq).toBe((await store.head()).seq);
  });
});

/** A GraphQL POST with a header of `filler` (fetch refuses to send such headers itself). */
function rawRequest(url: URL, filler: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\nx-filler: ${filler}\r\ncontent-length: 0\r\n\r\n`,
      );
    });
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    socket.on("error", reject);
    socket.on("end", () => {
      const [head = "", body = ""] = text.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), body });
    });
  });
}
