import { collectEvents, eventually } from "@onecert/subgraph-kit/testing";
import { todayIso } from "@onecert/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postGraphQL, startTestStack, type TestStack } from "../support/stack";

const DEATH = `mutation ($id: IdNumber!, $on: Date!) {
  registerDeath(idNumber: $id, diedOn: $on) { idNumber status deceasedOn } }`;
const STATUS = `query ($id: IdNumber!) { person(idNumber: $id) { status deceasedOn maritalStatus } }`;

let t: TestStack;
let clerk: Record<string, string>;
let events: Awaited<ReturnType<typeof collectEvents>>;

beforeAll(async () => {
  t = await startTestStack();
  const created = await t.stack.gateway.access.identity.createClient({
    name: "e2e-household-registration",
    role: "department",
    department: "public-security",
  });
  clerk = {
    authorization: `Bearer ${created.apiKey}`,
    "x-operator-id": "ps-clerk-01",
    "x-matter-code": "household-registration",
  };
  events = await collectEvents(t.stack.invalidationBus);
});

afterAll(async () => {
  await events?.stop();
  await t?.stop();
});

const asClerk = <T>(query: string, variables: Record<string, unknown>) =>
  postGraphQL<T>(t.stack.gateway.url, query, variables, clerk);

describe("registry changes through the gateway", () => {
  it("lets public security register a death under its own matter and read the new status", async () => {
    const id = t.sample("couple-newborn-parent-a");
    const spouse = t.sample("couple-newborn-parent-b");
    const today = todayIso();
    const reply = await asClerk<{ registerDeath: unknown }>(DEATH, { id, on: today });
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.registerDeath).toEqual({ idNumber: id, status: "DECEASED", deceasedOn: today });
    const read = await asClerk<{ person: unknown }>(STATUS, { id });
    expect(read.data!.person).toEqual({ status: "DECEASED", deceasedOn: today, maritalStatus: "MARRIED" });
    const widowed = await asClerk<{ person: { maritalStatus: string } }>(STATUS, { id: spouse });
    expect(widowed.data!.person.maritalStatus).toBe("WIDOWED");
    await eventually(
      () => [id, spouse].every((key) => events.events.some((event) => event.key === key)),
      "the invalidation events on the stack's bus",
    );
    expect(events.events.find((event) => event.key === id)).toMatchObject({
      source: "population",
      type: "Person",
    });

    const again = await asClerk(DEATH, { id, on: today });
    expect(again.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  });

  it("refuses the mutation to a window, whatever matter it names, and changes nothing", async () => {
    const id = t.sample("person-one-home");
    for (const matter of ["subsistence-allowance-review", "household-registration"]) {
      const reply = await t.gql(DEATH, { id, on: todayIso() }, { "x-matter-code": matter });
      expect(reply.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(reply.data ?? null).toBeNull();
    }
    const read = await asClerk<{ person: { status: string } }>(STATUS, { id });
    expect(read.data!.person.status).toBe("ACTIVE");
  });

  it("answers a registry's own refusal with the status the gateway gives its own", async () => {
    const CHANGE = `mutation($id: IdNumber!, $region: String!) {
      changeAddress(idNumber: $id, address: "合成省合成市第一区1号", regionCode: $region) { address } }`;
    const invalid = await postGraphQL(
      t.stack.gateway.url,
      CHANGE,
      { id: t.sample("person-one-home"), region: "35" },
      clerk,
    );
    expect(invalid.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      serviceName: "population",
    });
    expect(invalid.status).toBe(400);
    const dead = t.sample("couple-newborn-parent-a");
    const conflict = await postGraphQL(t.stack.gateway.url, CHANGE, { id: dead, region: "350102" }, clerk);
    expect(conflict.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect(conflict.status).toBe(409);
  });
});
