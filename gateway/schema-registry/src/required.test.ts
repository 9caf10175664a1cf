import type { Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, testRegistry, type TestRegistry } from "./testing";

// A department's subgraph that derives a field from another department's data: what it is sent
// through @requires is a read of that data, so it follows the same sharing rules.
const TYPES: Record<string, string> = {
  name: "String!",
  phone: "String",
  address: "String!",
  ethnicity: "String!",
};
const requiring = (fields: string, field = "welfareScore") => `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires", "@composeDirective"])
  @link(url: "https://specs.onecert.example/share/v1.0", import: ["@share"])
  @composeDirective(name: "@share")

directive @share(level: String!, sensitivity: [String!], owner: String) on OBJECT | FIELD_DEFINITION

type Person @key(fields: "idNumber") {
  idNumber: IdNumber!
${fields
  .split(" ")
  .map((field) => `  ${field}: ${TYPES[field]} @external`)
  .join("\n")}
  ${field}: Int @requires(fields: "${fields}") @share(level: "UNCONDITIONAL")
}

scalar IdNumber
`;

let db: Db;
let registry: TestRegistry;
let granted = new Set<string>();
beforeAll(async () => {
  db = await openTestDb();
  registry = await testRegistry(db, { grantedFields: async () => granted });
});
afterAll(async () => {
  await registry.close();
  await db.close();
});

const register = (name: string, sdl: string) =>
  registry.service.publish(
    {
      kind: "register",
      subgraph: { name, department: "civil-affairs", url: `http://127.0.0.1:1/${name}`, sdl },
    },
    actor("department", "civil-affairs"),
  );

describe("fields a subgraph requires from another department", () => {
  it("refuses a subgraph that would be sent NOT_SHARED and ungranted CONDITIONAL fields, naming each", async () => {
    const refusal = await register("welfare", requiring("phone address ethnicity")).catch(
      (error: unknown) => error,
    );
    expect(refusal).toMatchObject({ code: "OWNERSHIP_CONFLICT" });
    const message = (refusal as Error).message;
    expect(message).toMatch(
      /Person\.welfareScore @requires\(Person\.phone\): Person\.phone is NOT_SHARED, owned by public-security/,
    );
    expect(message).toMatch(
      /@requires\(Person\.address\): Person\.address is CONDITIONAL.*needs an approved grant/,
    );
    expect(message).toMatch(/@requires\(Person\.ethnicity\)/);
  });

  it("accepts UNCONDITIONAL fields, and CONDITIONAL ones the department holds a grant for", async () => {
    await expect(register("welfare-name", requiring("name", "nameScore"))).resolves.toMatchObject({
      published: true,
    });
    granted = new Set(["Person.address"]);
    await expect(register("welfare-address", requiring("address", "addressScore"))).resolves.toMatchObject({
      published: true,
    });
    granted = new Set(["Person.*"]);
    const still = await register("welfare-phone", requiring("phone", "phoneScore")).catch(
      (error: unknown) => error,
    );
    expect(still).toMatchObject({ code: "OWNERSHIP_CONFLICT" });
  });
});
