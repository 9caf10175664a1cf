import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTERPRISE, PERSON_A, startInMemoryGateway, type InMemoryGateway } from "../../testing";

// Malformed identifiers are refused at the gateway, wherever the operation carries them, and
// never reach a registry: the registries check them too, but only after the gateway planned
// and sent the request (and then answer 200 with an error instead of 400).

const BAD_ID = "11010519491231002Y"; // check character wrong
const BAD_USCC = "91350100M000100Y44";

let gateway: InMemoryGateway;

beforeAll(async () => {
  gateway = await startInMemoryGateway({ cache: { enabled: false } });
});

afterAll(() => gateway.stop());

/** Runs the operation and expects BAD_USER_INPUT, HTTP 400, with these problems and no registry call. */
async function rejected(
  query: string,
  variables: Record<string, unknown> | undefined,
  problems: { at: string; reason: RegExp }[],
) {
  const before = gateway.calls.length;
  const reply = await gateway.run({ query, variables });
  expect(reply.status).toBe(400);
  expect(reply.data ?? null).toBeNull();
  expect(reply.errors).toHaveLength(1);
  const error = reply.errors![0];
  expect(error.extensions?.code).toBe("BAD_USER_INPUT");
  expect(error.extensions?.problems).toEqual(
    problems.map(({ at, reason }) => ({ at, reason: expect.stringMatching(reason) })),
  );
  for (const { at } of problems) expect(error.message).toContain(`${at}: `);
  expect(gateway.calls.length).toBe(before);
}

const PERSON = "query($id: IdNumber!) { person(idNumber: $id) { name } }";
const ENTERPRISE_QUERY = "query($uscc: USCC!) { enterprise(uscc: $uscc) { name } }";

describe("inputValidationPlugin in the gateway", () => {
  it("lets well-formed identifiers through", async () => {
    const reply = await gateway.run({ query: PERSON, variables: { id: PERSON_A.idNumber } });
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ person: { name: "张*丰" } });
    const enterprise = await gateway.run({ query: ENTERPRISE_QUERY, variables: { uscc: ENTERPRISE.uscc } });
    expect(enterprise.data).toEqual({ enterprise: { name: ENTERPRISE.name } });
  });

  it("names the variable holding a malformed ID number or USCC", async () => {
    await rejected(PERSON, { id: BAD_ID }, [
      { at: "variable $id", reason: /^"11010519491231002Y" is not an ID number: / },
    ]);
    await rejected(PERSON, { id: 11010519491231 }, [
      { at: "variable $id", reason: /^expected an ID number as a string$/ },
    ]);
    await rejected(ENTERPRISE_QUERY, { uscc: BAD_USCC }, [
      { at: "variable $uscc", reason: /is not a unified social credit code/ },
    ]);
    await rejected(
      "query($ids: [IdNumber!]!) { persons(idNumbers: $ids) { name } }",
      { ids: [PERSON_A.idNumber, "123"] },
      [{ at: "variable $ids[1]", reason: /^"123" is not an ID number: / }],
    );
  });

  it("names the argument holding a malformed literal", async () => {
    await rejected(`{ person(idNumber: "${BAD_ID}") { name } }`, undefined, [
      { at: 'argument "idNumber" of "person"', reason: /is not an ID number/ },
    ]);
    await rejected(`{ enterprise(uscc: "${BAD_USCC}") { name } }`, undefined, [
      { at: 'argument "uscc" of "enterprise"', reason: /is not a unified social credit code/ },
    ]);
    await rejected(`{ persons(idNumbers: ["${PERSON_A.idNumber}", "${BAD_ID}"]) { name } }`, undefined, [
      { at: 'argument "idNumbers" of "persons"[1]', reason: /is not an ID number/ },
    ]);
  });

  it("checks a variable's default value", async () => {
    await rejected(`query($id: IdNumber! = "${BAD_ID}") { person(idNumber: $id) { name } }`, undefined, [
      { at: "default value of variable $id", reason: /is not an ID number/ },
    ]);
    await rejected(`query($uscc: USCC! = "${BAD_USCC}") { enterprise(uscc: $uscc) { name } }`, {}, [
      { at: "default value of variable $uscc", reason: /is not a unified social credit code/ },
    ]);
    await rejected(
      `query($ids: [IdNumber!]! = ["${BAD_ID}"]) { persons(idNumbers: $ids) { name } }`,
      undefined,
      [{ at: "default value of variable $ids[0]", reason: /is not an ID number/ }],
    );
    // Even when the variable is given: the default still travels in the operation each registry gets.
    await rejected(
      `query($id: IdNumber! = "${BAD_ID}") { person(idNumber: $id) { name } }`,
      { id: PERSON_A.idNumber },
      [{ at: "default value of variable $id", reason: /is not an ID number/ }],
    );
    const good = await gateway.run({
      query: `query($id: IdNumber! = "${PERSON_A.idNumber}") { person(idNumber: $id) { name } }`,
    });
    expect(good.errors).toBeUndefined();
    expect(good.data).toEqual({ person: { name: "张*丰" } });
  });

  it("reports every problem of an operation at once", async () => {
    await rejected(
      `query($id: IdNumber!) { a: person(idNumber: $id) { name } b: enterprise(uscc: "${BAD_USCC}") { name } }`,
      { id: BAD_ID },
      [
        { at: "variable $id", reason: /is not an ID number/ },
        { at: 'argument "uscc" of "enterprise"', reason: /is not a unified social credit code/ },
      ],
    );
  });

  it("refuses an operation type the schema has none of, as a validation error", async () => {
    const reply = await gateway.run({ query: "mutation { anything }" });
    expect(reply.status).toBe(400);
    expect(reply.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});
