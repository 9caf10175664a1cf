import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { fieldChanges } from "./diff";

const BEFORE = `
  type Query { person(id: ID!, asOf: String): Person  search(term: String!): [Result!]! }
  type Person { id: ID! name: String! age: Int nick: String status: Status! tags: [String!]! gone: Int }
  type Company { id: ID! }
  union Result = Person | Company
  enum Status { ACTIVE DECEASED EMIGRATED }
  type Removed { a: Int }
`;

const changes = (after: string) =>
  fieldChanges(buildSchema(BEFORE), buildSchema(after)).map((change) => `${change.kind} ${change.field}`);

describe("fieldChanges", () => {
  it("lists nothing for additions and for safe changes", () => {
    const after = BEFORE.replace("age: Int", "age: Int!") // stronger output
      .replace("person(id: ID!, asOf: String)", "person(id: ID, asOf: String, extra: Int)") // weaker input, optional arg
      .replace("ACTIVE DECEASED EMIGRATED", "ACTIVE DECEASED EMIGRATED MISSING")
      .replace("type Company { id: ID! }", "type Company { id: ID! name: String }");
    expect(changes(after)).toEqual([]);
  });

  it("names the field of every change an operation can notice", () => {
    const after = `
      type Query { person(id: ID!, asOf: Int, since: String!): Person  search(term: String!): [Result!]! }
      type Person { id: ID! name: String age: String nick: [String] status: Status! tags: [String!]! }
      type Company { id: ID! }
      union Result = Person
      enum Status { ACTIVE DECEASED }
    `;
    expect(changes(after).sort()).toEqual(
      [
        "FIELD_REMOVED Person.gone",
        "FIELD_TYPE_CHANGED Person.name",
        "FIELD_TYPE_CHANGED Person.age",
        "FIELD_TYPE_CHANGED Person.nick",
        "ARGUMENT_TYPE_CHANGED Query.person",
        "REQUIRED_ARGUMENT_ADDED Query.person",
        "UNION_MEMBER_REMOVED Query.search",
        "ENUM_VALUE_REMOVED Person.status",
        "TYPE_REMOVED Removed.a",
      ].sort(),
    );
  });

  it("reports a removed argument and describes each change", () => {
    const after = BEFORE.replace("person(id: ID!, asOf: String)", "person(id: ID!)");
    const [change] = fieldChanges(buildSchema(BEFORE), buildSchema(after));
    expect(change).toEqual({
      field: "Query.person",
      kind: "ARGUMENT_REMOVED",
      description: "argument asOf of Query.person was removed",
    });
  });
});
