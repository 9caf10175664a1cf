import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  OTHER_MATTER,
  PERSON_A,
  PERSON_B,
  startInMemoryGateway,
  testClient,
  type InMemoryGateway,
  type TestRequest,
} from "../../testing";

// The response cache over the entity cache, as the gateway assembles them: what a caller gets
// from cache, when the registries are asked again, and the cache-control header it is told.

const PERSON = (fields: string) => `query($id: IdNumber!) { person(idNumber: $id) { ${fields} } }`;
const POLICE = testClient({ role: "department", department: "public-security" });

let gateway: InMemoryGateway;

beforeAll(async () => {
  gateway = await startInMemoryGateway();
});

afterAll(() => gateway.stop());

// Every test starts from an empty cache, so that what one stored does not answer another.
beforeEach(() => gateway.cache.store.clear());

const ask = (fields: string, request: Partial<TestRequest> = {}) =>
  gateway.run({ query: PERSON(fields), variables: { id: PERSON_A.idNumber }, ...request });

/** Registry calls and response-cache hits made while `fn` ran. */
async function counting<T>(fn: () => Promise<T>) {
  const calls = gateway.calls.length;
  const hits = gateway.cache.store.counters().get("response")?.hits ?? 0;
  const result = await fn();
  return {
    result,
    calls: gateway.calls.length - calls,
    responseHits: (gateway.cache.store.counters().get("response")?.hits ?? 0) - hits,
  };
}

describe("cachePlugin in the gateway", () => {
  it("answers a second identical query from the response cache, asking no registry", async () => {
    const first = await counting(() => ask("idNumber name"));
    expect(first.calls).toBe(1);
    expect(first.result.headers.get("x-cache")).toBe("MISS");
    const second = await counting(() => ask("idNumber name"));
    expect(second).toMatchObject({ calls: 0, responseHits: 1 });
    expect(second.result.headers.get("x-cache")).toBe("HIT");
    // Masked on the way out, like an answer just fetched.
    expect(second.result.data).toEqual(first.result.data);
    expect(second.result.data).toEqual({ person: { idNumber: "110105********002X", name: "张*丰" } });
    expect(second.result.trace.subgraphs).toEqual(new Set(["people"]));
  });

  it("shares entities between callers, through the data source's entity cache", async () => {
    const [one, two] = [testClient(), testClient()];
    for (const client of [one, two]) gateway.grants.approve(client.id, ["Person.enterprises"]);
    const query = "name enterprises { name }";
    expect((await counting(() => ask(query, { client: one }))).calls).toBe(2);
    const other = await counting(() => ask(query, { client: two }));
    // Another caller: not the same response entry, but the same person and enterprises.
    expect(other).toMatchObject({ calls: 0, responseHits: 0 });
    expect(other.result.data).toEqual({
      person: { name: "张*丰", enterprises: [{ name: "合成科技有限公司" }] },
    });
    // Only the person not yet cached is fetched.
    const both = await counting(() =>
      gateway.run({
        query: "query($ids: [IdNumber!]!) { persons(idNumbers: $ids) { name enterprises { name } } }",
        variables: { ids: [PERSON_A.idNumber, PERSON_B.idNumber] },
        client: one,
      }),
    );
    expect(both.calls).toBe(2);
    const entities = gateway.calls.at(-1)!;
    expect(entities.subgraph).toBe("companies");
    expect(entities.variables?.representations).toEqual([
      { __typename: "Person", idNumber: PERSON_B.idNumber },
    ]);
  });

  it("keys the response on the caller's client, role, department, matter and grants", async () => {
    const client = testClient();
    const fields = "idNumber name";
    await ask(fields, { client });
    const variants: [string, Partial<TestRequest>][] = [
      ["another client", { client: testClient() }],
      ["another role", { client: { ...client, role: "department" } }],
      ["another department", { client: { ...client, department: "public-security" } }],
      ["another matter", { client, matter: OTHER_MATTER }],
    ];
    for (const [name, request] of variants) {
      const { responseHits } = await counting(() => ask(fields, request));
      expect(responseHits, name).toBe(0);
    }
    expect((await counting(() => ask(fields, { client }))).responseHits).toBe(1);
    gateway.grants.approve(client.id, ["Person.address"]);
    expect((await counting(() => ask(fields, { client }))).responseHits, "a new grant").toBe(0);
  });

  it("never stores an answer with errors, in the response or the entity cache", async () => {
    gateway.data.failing.add("Person.phone");
    try {
      const failed = await ask("name phone", { client: POLICE });
      expect(failed.data).toEqual({ person: { name: PERSON_A.name, phone: null } });
      expect(failed.errors?.[0]?.message).toContain("Person.phone failed");
      expect(failed.headers.get("cache-control")).toBe("no-store");
    } finally {
      gateway.data.failing.delete("Person.phone");
    }
    const again = await counting(() => ask("name phone", { client: POLICE }));
    expect(again).toMatchObject({ calls: 1, responseHits: 0 });
    expect(again.result.data).toEqual({ person: { name: PERSON_A.name, phone: PERSON_A.phone } });
    expect((await counting(() => ask("name phone", { client: POLICE }))).responseHits).toBe(1);
  });

  it("never stores an answer one registry failed while the other's data was fine", async () => {
    const client = testClient();
    gateway.grants.approve(client.id, ["Person.enterprises"]);
    gateway.data.failing.add("Person.enterprises");
    try {
      const failed = await ask("name enterprises { name }", { client });
      // The list is non-null: the person goes with it, the answer is data and an error.
      expect(failed.data).toEqual({ person: null });
      expect(failed.errors?.[0]?.message).toContain("Person.enterprises failed");
    } finally {
      gateway.data.failing.delete("Person.enterprises");
    }
    const again = await counting(() => ask("name enterprises { name }", { client }));
    expect(again).toMatchObject({ responseHits: 0 });
    expect(gateway.calls.at(-1)!.subgraph).toBe("companies");
    expect(again.result.data).toEqual({
      person: { name: "张*丰", enterprises: [{ name: "合成科技有限公司" }] },
    });
  });

  it("keeps PRIVATE data to the client that fetched it", async () => {
    const other = testClient({ role: "department", department: "public-security" });
    expect((await counting(() => ask("phone", { client: POLICE }))).calls).toBe(1);
    const phone = await counting(() => ask("phone", { client: other }));
    expect(phone.calls).toBe(1);
    expect(phone.result.data).toEqual({ person: { phone: PERSON_A.phone } });
    // The PUBLIC fields of the same person are shared.
    expect((await counting(() => ask("name", { client: POLICE }))).calls).toBe(1);
    expect((await counting(() => ask("name", { client: other }))).calls).toBe(0);
  });

  it("tells the caller how long the answer keeps: the shortest hint, private, else no-store", async () => {
    const header = async (fields: string, request: Partial<TestRequest> = {}) =>
      (await ask(fields, request)).headers.get("cache-control");
    expect(await header("name")).toBe("max-age=300, private");
    expect(await header("phone", { client: POLICE })).toBe("max-age=60, private");
    const granted = testClient();
    gateway.grants.approve(granted.id, ["Person.enterprises"]);
    expect(await header("name enterprises { name }", { client: granted })).toBe("max-age=90, private");
    // Refused, and data without a hint, are never to be kept.
    expect(await header("sex")).toBe("no-store");
    const count = await counting(() => gateway.run({ query: "{ enterpriseCount }" }));
    expect(count.result.data).toEqual({ enterpriseCount: 1 });
    expect(count.result.headers.get("cache-control")).toBe("no-store");
    expect((await counting(() => gateway.run({ query: "{ enterpriseCount }" }))).calls).toBe(1);
  });
});
