import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGatewayConfig } from "@onecert/gateway";
import { README_QUERY } from "@onecert/cli";
import { startTestStack, type TestStack } from "../support/stack";

const REGISTRY_SQL = /\b(population|legal_entity|property|social_insurance)\./;

describe("gateway behaviour", () => {
  let t: TestStack;
  let statements: string[] = [];
  beforeAll(async () => {
    // The 100-person batch below is far over the default cost limit, which is not under test here.
    const limits = { ...loadGatewayConfig({}).limits, maxCost: 1_000_000 };
    t = await startTestStack({ gateway: { limits } });
    // Data statements: each registry's own access log entry of a request is counted apart.
    t.stack.db.onStatement((sql) => {
      if (!/^INSERT INTO \w+\.access_log /.test(sql)) statements.push(sql);
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const homesQuery = `query($ids: [IdNumber!]!) {
    persons(idNumbers: $ids) { idNumber realEstate { unitNumber owners { share } mortgages { active } seizures { active } } }
  }`;

  async function idNumbers(count: number): Promise<string[]> {
    const rows = await t.stack.db.query<{ id_number: string }>(
      "SELECT id_number FROM population.persons ORDER BY id_number LIMIT $1",
      [count],
    );
    return rows.map((row) => row.id_number);
  }

  async function fetchCount(subgraph: string): Promise<number> {
    const text = await t.stack.gateway.metrics.registry.getSingleMetricAsString(
      "onecert_subgraph_fetch_duration_seconds",
    );
    const line = text
      .split("\n")
      .find(
        (l) =>
          l.startsWith("onecert_subgraph_fetch_duration_seconds_count") &&
          l.includes(`subgraph="${subgraph}"`),
      );
    return line ? Number(line.split(" ").pop()) : 0;
  }

  it("reads the homes of 100 persons with one fetch per subgraph and one statement per table", async () => {
    const measure = async (count: number) => {
      const ids = await idNumbers(count);
      const fetchesBefore = await fetchCount("property");
      statements = [];
      const result = await t.gql<{ persons: { realEstate: unknown[] }[] }>(homesQuery, { ids });
      expect(result.errors).toBeUndefined();
      expect(result.data!.persons).toHaveLength(count);
      return {
        property: statements.filter((sql) => /\bproperty\./.test(sql)).length,
        population: statements.filter((sql) => /\bpopulation\./.test(sql)).length,
        fetches: (await fetchCount("property")) - fetchesBefore,
        homes: result.data!.persons.reduce((sum, p) => sum + p.realEstate.length, 0),
      };
    };
    const ten = await measure(10);
    const hundred = await measure(100);
    expect(hundred.homes).toBeGreaterThan(ten.homes);
    expect(hundred.fetches).toBe(1);
    expect(ten.fetches).toBe(1);
    expect(hundred.population).toBe(1);
    // owners+real estate in one statement, then owners, mortgages and seizures: never per person.
    expect(hundred.property).toBe(ten.property);
    expect(hundred.property).toBeLessThanOrEqual(4);
  });

  it("rejects a malformed ID number with BAD_USER_INPUT naming the argument, before any SQL", async () => {
    statements = [];
    const literal = await t.gql(`{ person(idNumber: "110105194912310021") { name } }`);
    expect(literal.status).toBe(400);
    expect(literal.errors![0].extensions!.code).toBe("BAD_USER_INPUT");
    expect(literal.errors![0].message).toMatch(/argument "idNumber" of "person"/);
    expect(literal.errors![0].message).toMatch(/check character/);

    const variable = await t.gql(README_QUERY, { id: "12345" });
    expect(variable.errors![0].extensions!.code).toBe("BAD_USER_INPUT");
    expect(variable.errors![0].message).toMatch(/\$id/);
    expect(variable.data ?? null).toBeNull();

    const list = await t.gql(homesQuery, { ids: ["11010519491231002X", "11010519491231002x"] });
    expect(list.errors![0].extensions!.code).toBe("BAD_USER_INPUT");
    expect(list.errors![0].message).toMatch(/\$ids\[1\]/);
    // The gateway's own tables (credentials, audit) are read; no registry is.
    expect(statements.filter((sql) => REGISTRY_SQL.test(sql))).toEqual([]);
  });

  it("never returns a stack trace and gives syntax errors a code", async () => {
    const result = await t.gql(`{ person(idNumber: `);
    expect(result.errors![0].extensions!.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(JSON.stringify(result)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it("refuses an operation type the schema does not have with a validation error, not a 500", async () => {
    const result = await t.gql(`subscription { person { name } }`);
    expect(result.status).toBe(400);
    expect(result.errors![0].extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("serves no landing page from a CDN to a browser (the bundled GraphiQL is the console's)", async () => {
    const response = await fetch(t.stack.gateway.url, { headers: { ...t.headers, accept: "text/html" } });
    const body = await response.text();
    expect(response.headers.get("content-type")).not.toContain("text/html");
    expect(body).not.toMatch(/cdn|apollographql\.com/i);
  });

  it("returns the caller's request id, or a new one", async () => {
    const given = await t.gql(`{ __typename }`, {}, { "x-request-id": "req-e2e-42" });
    expect(given.headers.get("x-request-id")).toBe("req-e2e-42");
    const fresh = await t.gql(`{ __typename }`);
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves /health, /ready and /metrics", async () => {
    const base = t.stack.gateway.url.replace(/\/graphql$/, "");
    expect((await fetch(`${base}/health`)).status).toBe(200);
    // Without credentials: ready or not, nothing about the subgraphs behind it.
    const anonymous = await fetch(`${base}/ready`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: "ready" });
    const windowView = await fetch(`${base}/ready`, {
      headers: { authorization: `Bearer ${t.keys.window}` },
    });
    expect(await windowView.json()).toEqual({ status: "ready" });
    const ready = await fetch(`${base}/ready`, { headers: { authorization: `Bearer ${t.keys.admin}` } });
    const body = (await ready.json()) as { status: string; subgraphs: { name: string; status: string }[] };
    expect(ready.status).toBe(200);
    expect(body.subgraphs.map((s) => s.name)).toEqual(
      expect.arrayContaining(["legal-entity", "population", "property", "social-insurance"]),
    );
    expect(body.subgraphs.every((s) => s.status === "up")).toBe(true);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const metrics = await (
      await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${t.keys.admin}` } })
    ).text();
    expect(metrics).toMatch(/onecert_requests_total\{outcome="ok"\} \d+/);
    expect(metrics).toMatch(/onecert_errors_total\{code="BAD_USER_INPUT"\} \d+/);
    expect(metrics).toMatch(
      /onecert_subgraph_fetch_duration_seconds_count\{subgraph="property",outcome="ok"\}/,
    );
  });

  // Last: it stops a registry.
  it("gives partial data and an error naming the registry when one is down", async () => {
    const property = t.stack.registries.find((service) => service.name === "property")!;
    await property.stop();
    const result = await t.gql<{ person: { name: string; realEstate: unknown; household: unknown } }>(
      README_QUERY,
      {
        id: t.sample("person-showcase"),
      },
    );
    expect(result.status).toBe(200);
    expect(result.data!.person.name.length).toBeGreaterThan(1);
    expect(result.data!.person.household).not.toBeNull();
    expect(result.data!.person.realEstate).toBeNull();
    const error = result.errors!.find((e) => e.extensions?.serviceName === "property");
    expect(error?.extensions?.code).toBe("SUBGRAPH_UNAVAILABLE");
    expect(error?.message).toMatch(/property registry is unavailable/);

    const base = t.stack.gateway.url.replace(/\/graphql$/, "");
    const ready = await fetch(`${base}/ready`, { headers: { authorization: `Bearer ${t.keys.admin}` } });
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { subgraphs: { name: string; status: string }[] };
    expect(body.subgraphs.find((s) => s.name === "property")!.status).toBe("down");
  });
});
