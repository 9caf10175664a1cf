import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ENTERPRISE,
  OTHER_MATTER,
  PERSON_A,
  startInMemoryGateway,
  testClient,
  type InMemoryGateway,
  type TestRequest,
} from "../../testing";

// The policy as the gateway runs it: every plugin assembled, the registries answered in process.

const PERSON = (fields: string) => `query($id: IdNumber!) { person(idNumber: $id) { ${fields} } }`;
const POLICE = testClient({ role: "department", department: "public-security" });

let gateway: InMemoryGateway;

beforeAll(async () => {
  // The response cache is left out: each answer here is decided and masked afresh.
  gateway = await startInMemoryGateway({ cache: { enabled: false } });
});

afterAll(() => gateway.stop());

const ask = (fields: string, request: Partial<TestRequest> = {}) =>
  gateway.run<{ person: Record<string, unknown> | null }>({
    query: PERSON(fields),
    variables: { id: PERSON_A.idNumber },
    ...request,
  });

/** The refusal of a request: FORBIDDEN, HTTP 403, no data and no registry asked. */
async function refused(fields: string, request: Partial<TestRequest> = {}) {
  const before = gateway.calls.length;
  const reply = await ask(fields, request);
  expect(reply.status).toBe(403);
  expect(reply.data ?? null).toBeNull();
  expect(reply.errors).toHaveLength(1);
  expect(reply.errors![0].extensions?.code).toBe("FORBIDDEN");
  expect(gateway.calls.length).toBe(before);
  return reply.errors![0].extensions!.denied as { path: string; field: string; rule: string }[];
}

describe("policyPlugin in the gateway", () => {
  it("serves the matter's fields, masking identifiers and names for a caller without a clear grant", async () => {
    const reply = await ask("idNumber name");
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ person: { idNumber: "110105********002X", name: "张*丰" } });
  });

  it("refuses a field the matter does not declare, naming the path and the rule", async () => {
    expect(await refused("name sex")).toEqual([
      {
        path: "person.sex",
        field: "Person.sex",
        rule: "minimum necessary: matter test-matter does not declare Person.sex",
      },
    ]);
  });

  it("lets CONDITIONAL data through only with an approved grant for the matter", async () => {
    const client = testClient();
    const rule = "Person.address is CONDITIONAL: no approved grant for matter test-matter";
    expect(await refused("address", { client })).toEqual([
      { path: "person.address", field: "Person.address", rule },
    ]);
    gateway.grants.approve(client.id, ["Person.address"], { matters: [OTHER_MATTER] });
    expect(await refused("address", { client })).toEqual([expect.objectContaining({ rule })]);

    const grant = gateway.grants.approve(client.id, ["Person.address"]);
    const granted = await ask("address", { client });
    expect(granted.errors).toBeUndefined();
    expect(granted.data).toEqual({ person: { address: "合成省合成市第二区****" } });
    gateway.grants.revoke(grant.id);
    expect(await refused("address", { client })).toEqual([expect.objectContaining({ rule })]);
  });

  it("serves NOT_SHARED data to the owning department only, in clear", async () => {
    expect(await refused("phone")).toEqual([
      {
        path: "person.phone",
        field: "Person.phone",
        rule: "Person.phone is NOT_SHARED outside public-security",
      },
    ]);
    const own = await ask("idNumber name phone", { client: POLICE });
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual({
      person: { idNumber: PERSON_A.idNumber, name: PERSON_A.name, phone: PERSON_A.phone },
    });
  });

  it("shows in clear exactly the fields a clear-values grant covers", async () => {
    const client = testClient();
    gateway.grants.approve(client.id, ["Person.name"], { clearValues: true });
    expect((await ask("idNumber name", { client })).data).toEqual({
      person: { idNumber: "110105********002X", name: PERSON_A.name },
    });
    // A grant without clear values lets CONDITIONAL data through, masked.
    gateway.grants.approve(client.id, ["Person.address"]);
    expect((await ask("address", { client })).data).toEqual({
      person: { address: "合成省合成市第二区****" },
    });
    gateway.grants.approve(client.id, ["Person.*"], { clearValues: true });
    expect((await ask("idNumber address", { client })).data).toEqual({
      person: { idNumber: PERSON_A.idNumber, address: PERSON_A.address },
    });
  });

  it("masks by the department owning each field, across registries", async () => {
    const query = `query($uscc: USCC!) { enterprise(uscc: $uscc) { uscc name legalRepresentative { idNumber name } } }`;
    const variables = { uscc: ENTERPRISE.uscc };
    const market = testClient({ role: "department", department: "market-regulation" });
    expect((await gateway.run({ query, variables })).data).toEqual({
      enterprise: {
        uscc: "913501********0Y43",
        name: ENTERPRISE.name,
        legalRepresentative: { idNumber: "110105********002X", name: "张*丰" },
      },
    });
    // Market regulation owns the enterprise, not the person who represents it.
    expect((await gateway.run({ query, variables, client: market })).data).toEqual({
      enterprise: {
        uscc: ENTERPRISE.uscc,
        name: ENTERPRISE.name,
        legalRepresentative: { idNumber: "110105********002X", name: "张*丰" },
      },
    });
  });

  it.each(["auditor", "admin"] as const)("lets the %s role read no registry data at all", async (role) => {
    const client = testClient({ role, department: "public-security" });
    const rule = `role ${role} may not read registry data`;
    expect(await refused("idNumber name", { client })).toEqual([
      { path: "person", field: "Query.person", rule },
      { path: "person.idNumber", field: "Person.idNumber", rule },
      { path: "person.name", field: "Person.name", rule },
    ]);
  });

  it("decides and masks through fragments, inline fragments and aliases", async () => {
    const query = `query($id: IdNumber!) { who: person(idNumber: $id) { ...Names ... on Person { card: idNumber } } }
      fragment Names on Person { name }`;
    const reply = await gateway.run({ query, variables: { id: PERSON_A.idNumber } });
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ who: { name: "张*丰", card: "110105********002X" } });

    const before = gateway.calls.length;
    const hidden = await gateway.run({
      query: `query($id: IdNumber!) { who: person(idNumber: $id) { name ...Secret ... on Person { gender: sex } } }
        fragment Secret on Person { phone }`,
      variables: { id: PERSON_A.idNumber },
    });
    expect(hidden.status).toBe(403);
    expect(hidden.errors![0].extensions!.denied).toEqual([
      expect.objectContaining({ path: "who.phone", field: "Person.phone" }),
      expect.objectContaining({ path: "who.gender", field: "Person.sex" }),
    ]);
    expect(gateway.calls.length).toBe(before);
  });

  it("asks who is asking and why before any data request", async () => {
    const reply = await ask("name", { operator: null });
    expect(reply.status).toBe(400);
    expect(reply.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(reply.errors![0].message).toContain("x-operator-id");
    const unknown = await ask("name", { matter: "no-such-matter" });
    expect(unknown.errors![0].message).toContain('unknown matter "no-such-matter"');
  });
});
