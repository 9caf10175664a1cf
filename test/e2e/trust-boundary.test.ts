import { createKeyring, cryptoSuiteFromEnv, KEY_PURPOSES } from "@onecert/subgraph-kit";
import { createTestHop, postBody, TEST_HOP_CLIENT, type TestHop } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, TEST_MATTER, type TestStack } from "../support/stack";

// Only the gateway reaches a subgraph: a direct call, however it is dressed up, is refused with
// 401 before any of its SQL runs; the same data through the gateway is served.

const entities = (selection: string) =>
  `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { ${selection} } } }`;

/** Each subgraph, the schema its tables live in, and a request that reads them. */
const TARGETS = [
  { name: "population", schema: "population", query: entities("name phone address") },
  { name: "legal-entity", schema: "legal_entity", query: entities("enterprisesRepresented { uscc }") },
  { name: "property", schema: "property", query: entities("realEstate { unitNumber }") },
  { name: "social-insurance", schema: "social_insurance", query: entities("socialInsurance { __typename }") },
  { name: "certificates", schema: "certificates", query: "{ pendingCommitments { id } }" },
] as const;

let t: TestStack;
/** Assertions signed with the gateway's own key: only the claims are wrong. */
let gatewayKey: TestHop;
let subject: string;

beforeAll(async () => {
  t = await startTestStack();
  // In the gateway's suite: a keyring of another suite would replace the gateway's active key.
  const hopKeys = createKeyring(t.stack.db, {
    purpose: KEY_PURPOSES.hop,
    suite: cryptoSuiteFromEnv(process.env),
  });
  gatewayKey = createTestHop(await hopKeys.signingKey());
  subject = t.sample("person-two-homes");
});

afterAll(() => t?.stop());

const urlOf = (name: string) =>
  name === "certificates" ? t.stack.certificates.url : t.stack.registries.find((r) => r.name === name)!.url;

const bodyOf = (target: (typeof TARGETS)[number]) =>
  JSON.stringify({ query: target.query, variables: { r: [{ __typename: "Person", idNumber: subject }] } });

const loggedForTestClient = async (schema: string) =>
  Number(
    (
      await t.stack.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.access_log WHERE client_id = $1`,
        [TEST_HOP_CLIENT.id],
      )
    )[0].n,
  );

/**
 * Posts `body` to the subgraph. Returns the reply, the SQL run on its data meanwhile, and how
 * many access-log entries it made (the gateway's own health probes may log at the same time).
 */
async function direct(name: string, schema: string, body: string, headers: Record<string, string>) {
  const data: string[] = [];
  const logged = await loggedForTestClient(schema);
  const stop = t.stack.db.onStatement((sql) => {
    if (sql.includes(`${schema}.`) && !sql.startsWith(`INSERT INTO ${schema}.access_log `)) data.push(sql);
  });
  let reply;
  try {
    reply = await postBody<Record<string, unknown>>(urlOf(name), body, headers);
  } finally {
    stop();
  }
  return { reply, sql: data, logged: (await loggedForTestClient(schema)) - logged };
}

const now = () => Math.floor(Date.now() / 1000);
const claims = { mat: TEST_MATTER };

describe.each(TARGETS)("a direct call to $name", (target) => {
  const assertion = (header: string) => ({ "x-onecert-assertion": header });
  const refusals: [string, () => Record<string, string>, string][] = [
    ["without an assertion", () => ({}), "HOP_ASSERTION_MISSING"],
    [
      "with an expired assertion",
      () =>
        assertion(
          gatewayKey.assert(target.name, bodyOf(target), {
            claims: { ...claims, iat: now() - 120, exp: now() - 60 },
          }),
        ),
      "HOP_ASSERTION_EXPIRED",
    ],
    [
      "with an assertion for another subgraph",
      () =>
        assertion(
          gatewayKey.assert(target.name === "population" ? "property" : "population", bodyOf(target), {
            claims,
          }),
        ),
      "HOP_ASSERTION_AUDIENCE",
    ],
    [
      "with an assertion over another body",
      () =>
        assertion(gatewayKey.assert(target.name, JSON.stringify({ query: "{ __typename }" }), { claims })),
      "HOP_BODY_MISMATCH",
    ],
    [
      "with an assertion signed by a key the gateway never published",
      () =>
        assertion(
          gatewayKey.assert(target.name, bodyOf(target), {
            claims,
            key: cryptoSuiteFromEnv(process.env).generateKeyPair(),
            kid: "forged",
          }),
        ),
      "HOP_ASSERTION_UNKNOWN_KEY",
    ],
  ];

  it.each(refusals)("%s is refused with 401 before any SQL", async (_case, headers, code) => {
    const { reply, sql, logged } = await direct(target.name, target.schema, bodyOf(target), headers());
    expect(reply.status).toBe(401);
    expect(reply.errors?.[0]?.extensions?.code).toBe(code);
    expect(reply.data ?? null).toBeNull();
    expect(sql).toEqual([]);
    expect(logged).toBe(0);
  });

  it("serves a valid assertion once, logs it, and refuses it replayed", async () => {
    const body = bodyOf(target);
    const headers = assertion(gatewayKey.assert(target.name, body, { claims }));
    const first = await direct(target.name, target.schema, body, headers);
    expect(first.reply.status).toBe(200);
    expect(first.reply.headers.get("x-onecert-hop")).toBeTruthy();
    expect(first.logged).toBe(1);
    const replayed = await direct(target.name, target.schema, body, headers);
    expect(replayed.reply.status).toBe(401);
    expect(replayed.reply.errors?.[0]?.extensions?.code).toBe("HOP_ASSERTION_REPLAYED");
    expect(replayed.sql).toEqual([]);
    expect(replayed.logged).toBe(0);
  });
});

describe("registry mutations", () => {
  const CHANGE = `mutation($id: IdNumber!) { changeAddress(idNumber: $id, address: "合成省直连路1号", regionCode: "350102") { address } }`;
  const ADDRESS = `query($id: IdNumber!) { person(idNumber: $id) { address } }`;

  it("are refused straight to the registry, forged or bare, and the record stays as it was", async () => {
    const before = await t.gql<{ person: { address: string } }>(ADDRESS, { id: subject });
    expect(before.errors).toBeUndefined();
    const body = JSON.stringify({ query: CHANGE, variables: { id: subject } });
    const forged = createTestHop().assert("population", body, { claims });
    for (const headers of [{}, { "x-onecert-assertion": forged }] as Record<string, string>[]) {
      const { reply, sql } = await direct("population", "population", body, headers);
      expect(reply.status).toBe(401);
      expect(sql).toEqual([]);
    }
    const after = await t.gql<{ person: { address: string } }>(ADDRESS, { id: subject });
    expect(after.data).toEqual(before.data);
  });
});

describe("the same data through the gateway", () => {
  it("is served from every registry, each hop named in the audit trail", async () => {
    const reply = await t.gql<{ person: Record<string, unknown> }>(
      `query($id: IdNumber!) { person(idNumber: $id) { name enterprisesRepresented { uscc } realEstate { unitNumber }
         socialInsurance { __typename } } }`,
      { id: subject },
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.person.name).toEqual(expect.any(String));
    expect(reply.data!.person.realEstate).toHaveLength(2);
    const requestId = reply.headers.get("x-request-id")!;
    // The audit record is durable before the answer is sent.
    const [record] = await t.stack.gateway.audit!.store.db.query<{ hops: string[] }>(
      "SELECT hops FROM audit.records WHERE request_id = $1",
      [requestId],
    );
    const hops = record?.hops ?? [];
    expect(hops.map((hop) => hop.split(":")[0]).sort()).toEqual([
      "legal-entity",
      "population",
      "property",
      "social-insurance",
    ]);
    // Each id is the one the registry logged.
    const [population] = hops
      .filter((hop) => hop.startsWith("population:"))
      .map((hop) => hop.slice("population:".length));
    const logged = await t.stack.db.query(
      "SELECT request_id FROM population.access_log WHERE assertion_id = $1",
      [population],
    );
    expect(logged).toHaveLength(1);
  });
});
