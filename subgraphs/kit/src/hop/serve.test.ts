import { ApolloServer } from "@apollo/server";
import { GraphQLError } from "graphql";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migrate, openDb, type Db } from "../db";
import { createTestHop, TEST_HOP_CLIENT } from "../testing/hop";
import { accessLogMigration, createAccessLog, type AccessLog } from "./access-log";
import type { HopContext } from "./claims";
import { memoryReplayGuard } from "./replay";
import { serveVerified } from "./serve";
import { createHopVerifier } from "./verify";

const ID_NUMBER = "11010519491231002X";
const QUERY = "query Person { person { idNumber secret } }";
const BODY = JSON.stringify({ query: QUERY });
const logger = pino({ level: "silent" });
const hop = createTestHop();

let db: Db;
let apollo: ApolloServer<{ hop: HopContext }>;
let resolved: HopContext[] = [];
let failWith: string | null = null;
const servers: Server[] = [];

beforeAll(async () => {
  db = openDb();
  await migrate(db, "demo", [accessLogMigration("demo", 1)]);
  apollo = new ApolloServer<{ hop: HopContext }>({
    typeDefs: "type Person { idNumber: String, secret: String } type Query { person: Person }",
    resolvers: {
      Query: {
        person: (_: unknown, __: unknown, context: { hop: HopContext }) => {
          resolved.push(context.hop);
          if (failWith) throw new GraphQLError("refused", { extensions: { code: failWith } });
          return { idNumber: ID_NUMBER, secret: "the-registry-data" };
        },
      },
    },
  });
  await apollo.start();
});
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await apollo.stop();
  await db.close();
});
beforeEach(() => {
  resolved = [];
  failWith = null;
});

/** A subgraph serving `apollo` behind serveVerified, writing `accessLog`. */
async function subgraph(accessLog: AccessLog = createAccessLog(db, "demo", logger)): Promise<string> {
  const serving = {
    apollo,
    verifier: createHopVerifier({ audience: "demo", keys: hop.keys, replay: memoryReplayGuard() }),
    accessLog,
    log: logger,
    context: async (context: HopContext) => ({ hop: context }),
  };
  const server = createServer((req, res) => void serveVerified(serving, req, res, "req-1"));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function post(url: string, assertion: string | null, body = BODY) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(assertion ? { "x-onecert-assertion": assertion } : {}),
    },
    body,
  });
  return {
    status: response.status,
    hopId: response.headers.get("x-onecert-hop"),
    text: await response.text(),
  };
}

const rows = (assertionId?: string) =>
  db.query<Record<string, unknown>>(
    assertionId
      ? "SELECT * FROM demo.access_log WHERE assertion_id = $1"
      : "SELECT * FROM demo.access_log ORDER BY seq",
    assertionId ? [assertionId] : [],
  );

describe("serveVerified", () => {
  it("refuses a request without or with a bad assertion: 401 and its code, nothing run or logged", async () => {
    const url = await subgraph();
    const before = (await rows()).length;
    const cases: [string | null, string][] = [
      [null, "HOP_ASSERTION_MISSING"],
      ["not-a-token", "HOP_ASSERTION_INVALID"],
      [hop.assert("property", BODY), "HOP_ASSERTION_AUDIENCE"],
      [hop.assert("demo", JSON.stringify({ query: "{ person { idNumber } }" })), "HOP_BODY_MISMATCH"],
    ];
    for (const [assertion, code] of cases) {
      const reply = await post(url, assertion);
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.text)).toMatchObject({ errors: [{ extensions: { code } }] });
      expect(reply.hopId).toBeNull();
      expect(reply.text).not.toContain("the-registry-data");
    }
    expect(resolved).toHaveLength(0);
    expect(await rows()).toHaveLength(before);
  });

  it("answers a verified request naming its assertion, after logging exactly one entry for it", async () => {
    const url = await subgraph();
    const jti = `hop-ok-${Date.now()}`;
    const token = hop.assert("demo", BODY, { claims: { jti, rid: "gw-req-7", cas: "case-3" } });
    const reply = await post(url, token);
    expect(reply.status).toBe(200);
    expect(reply.hopId).toBe(jti);
    expect(JSON.parse(reply.text)).toEqual({
      data: { person: { idNumber: ID_NUMBER, secret: "the-registry-data" } },
    });
    expect(resolved.map((context) => context.id)).toEqual([jti]);
    expect(await rows(jti)).toEqual([
      expect.objectContaining({
        request_id: "gw-req-7",
        issuer: "onecert-gateway",
        client_id: TEST_HOP_CLIENT.id,
        client_name: TEST_HOP_CLIENT.name,
        department: TEST_HOP_CLIENT.department,
        role: TEST_HOP_CLIENT.role,
        operator_id: "clerk-test",
        matter_code: "test-matter",
        case_number: "case-3",
        operation_hash: createHash("sha256").update(QUERY).digest("hex"),
        entity_keys: [ID_NUMBER],
        outcome: "ok",
        error_code: null,
        status: 200,
      }),
    ]);
    // The same assertion again is a replay: refused, and not logged a second time.
    const replay = await post(url, token);
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.text)).toMatchObject({
      errors: [{ extensions: { code: "HOP_ASSERTION_REPLAYED" } }],
    });
    expect(await rows(jti)).toHaveLength(1);
    expect(resolved).toHaveLength(1);
  });

  it("logs a request that ran into an error with its outcome and first error code", async () => {
    const url = await subgraph();
    failWith = "FORBIDDEN";
    const jti = `hop-error-${Date.now()}`;
    const reply = await post(url, hop.assert("demo", BODY, { claims: { jti } }));
    expect(reply.hopId).toBe(jti);
    expect(await rows(jti)).toEqual([
      expect.objectContaining({ outcome: "error", error_code: "FORBIDDEN", entity_keys: [] }),
    ]);
  });

  it("serves nothing it could not log: 503 ACCESS_LOG_UNAVAILABLE, without the data", async () => {
    // A log whose table is not there fails every write, as a lost database does.
    const url = await subgraph(createAccessLog(db, "missing", logger));
    const reply = await post(url, hop.assert("demo", BODY));
    expect(reply.status).toBe(503);
    expect(JSON.parse(reply.text)).toMatchObject({
      errors: [{ extensions: { code: "ACCESS_LOG_UNAVAILABLE" } }],
    });
    expect(reply.text).not.toContain("the-registry-data");
    expect(reply.text).not.toContain(ID_NUMBER);
    expect(reply.hopId).toBeNull();
  });
});

describe("the access log", () => {
  it("is append-only: UPDATE, DELETE and TRUNCATE are refused", async () => {
    const url = await subgraph();
    await post(url, hop.assert("demo", BODY));
    const count = (await rows()).length;
    expect(count).toBeGreaterThan(0);
    for (const sql of [
      "UPDATE demo.access_log SET outcome = 'ok', client_id = NULL",
      "DELETE FROM demo.access_log",
      "TRUNCATE demo.access_log",
    ])
      await expect(db.query(sql)).rejects.toThrow(/append-only/);
    expect(await rows()).toHaveLength(count);
    expect((await rows()).every((row) => row.client_id === TEST_HOP_CLIENT.id)).toBe(true);
  });

  it("writes entries recorded together, each once, and resolves only when committed", async () => {
    const log = createAccessLog(db, "demo", logger);
    const base = { operationHash: "h", entityKeys: [], outcome: "ok" as const, errorCode: null, status: 200 };
    const ids = Array.from({ length: 5 }, (_, n) => `batch-${Date.now()}-${n}`);
    const context = (id: string): HopContext => ({
      id,
      issuer: "onecert-gateway",
      requestId: "r",
      client: null,
      operatorId: null,
      matterCode: null,
      caseNumber: null,
      expiresAt: new Date(),
      token: "t",
    });
    await Promise.all(ids.map((id) => log.record({ ...base, hop: context(id) })));
    const written = await db.query<{ assertion_id: string }>(
      "SELECT assertion_id FROM demo.access_log WHERE assertion_id = ANY($1) ORDER BY seq",
      [ids],
    );
    expect(written.map((row) => row.assertion_id)).toEqual(ids);
    await log.close();
  });
});
