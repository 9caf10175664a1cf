import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PERSON_A,
  startInMemoryGateway,
  testClient,
  testMatter,
  testMatters,
  type InMemoryGateway,
} from "../../testing";

// Who may act under a matter: its file's `admits`, decided before any registry is asked.

const HALL_MATTER = "hall-matter";
const CASE_MATTER = "case-file";
const QUERY = `query($id: IdNumber!) { person(idNumber: $id) { idNumber name } }`;
const WINDOW = testClient({ role: "window", department: "government-service-center" });
const POLICE = testClient({ role: "department", department: "public-security" });

let gateway: InMemoryGateway;

beforeAll(async () => {
  gateway = await startInMemoryGateway({
    cache: { enabled: false },
    matters: testMatters([
      testMatter(HALL_MATTER, { admits: { departments: ["government-service-center"], roles: ["window"] } }),
      testMatter(CASE_MATTER, {
        department: "public-security",
        restricted: true,
        admits: { departments: ["public-security"], roles: ["window", "department"] },
      }),
    ]),
  });
});

afterAll(() => gateway.stop());

async function refusal(client: typeof WINDOW, matter: string) {
  const before = gateway.calls.length;
  const reply = await gateway.run({ query: QUERY, variables: { id: PERSON_A.idNumber }, client, matter });
  expect(gateway.calls.length).toBe(before);
  expect(reply.status).toBe(403);
  expect(reply.data ?? null).toBeNull();
  expect(reply.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  return (reply.errors?.[0]?.extensions?.denied as { rule: string }[])[0].rule;
}

describe("matter admission in the gateway", () => {
  it("serves a matter to the departments and roles it admits", async () => {
    const reply = await gateway.run({
      query: QUERY,
      variables: { id: PERSON_A.idNumber },
      client: WINDOW,
      matter: HALL_MATTER,
    });
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ person: { idNumber: "110105********002X", name: "张*丰" } });
  });

  it("refuses another department's client, and a role the matter does not admit", async () => {
    expect(await refusal(POLICE, HALL_MATTER)).toBe(
      "matter hall-matter admits government-service-center, not public-security",
    );
    const hallDepartment = testClient({ role: "department", department: "government-service-center" });
    expect(await refusal(hallDepartment, HALL_MATTER)).toBe(
      "matter hall-matter admits the roles window, not department",
    );
  });

  it("keeps a restricted matter to the departments it names", async () => {
    expect(await refusal(WINDOW, CASE_MATTER)).toBe(
      "matter case-file admits public-security, not government-service-center",
    );
    const reply = await gateway.run({
      query: QUERY,
      variables: { id: PERSON_A.idNumber },
      client: POLICE,
      matter: CASE_MATTER,
    });
    expect(reply.errors).toBeUndefined();
  });
});
