import { describe, expect, it } from "vitest";
import { parse, type OperationDefinitionNode } from "graphql";
import { buildHintIndex, restrict, ttlOf, UNCACHEABLE, UNRESTRICTED } from "./hints";
import { TEST_SUPERGRAPH } from "./testing";
import { selectionPolicy } from "./walk";

const index = buildHintIndex(TEST_SUPERGRAPH);

function policyOf(query: string, defaults: Record<string, number> = {}) {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  return selectionPolicy(
    buildHintIndex(TEST_SUPERGRAPH, defaults),
    "Query",
    operation.selectionSet,
    new Map(),
  );
}

describe("hint index", () => {
  it("gives a type its most restrictive hint when several subgraphs hint it", () => {
    expect(index.typePolicy("Home")).toEqual({ maxAge: 90, scope: "PUBLIC" });
    expect(index.typePolicy("Person")).toEqual({ maxAge: 300, scope: "PUBLIC" });
    expect(index.typePolicy("Note")).toBeUndefined();
  });

  it("lets the strictest of a field's hint and its type's hint win", () => {
    expect(index.fieldPolicy("Person", "homes")).toEqual({ maxAge: 90, scope: "PUBLIC" });
    expect(index.fieldPolicy("Person", "phone")).toEqual({ maxAge: 60, scope: "PRIVATE" });
    expect(index.fieldPolicy("Person", "name")).toEqual(UNRESTRICTED);
    expect(index.fieldPolicy("Person", "notes")).toEqual(UNCACHEABLE);
    expect(index.fieldPolicy("Query", "counter")).toEqual(UNCACHEABLE);
    expect(index.fieldPolicy("Person", "nosuchfield")).toEqual(UNCACHEABLE);
  });

  it("takes a union's freshness from its least fresh member", () => {
    expect(index.typePolicy("Party")).toEqual({ maxAge: 30, scope: "PUBLIC" });
  });

  it("reads entity keys per subgraph", () => {
    expect(index.keyFields("Person", "homes")).toEqual(["idNumber"]);
    expect(index.keyFields("Home")).toEqual(["unit"]);
    expect(index.keyFields("Household")).toBeNull();
  });

  it("changes its id with the supergraph", () => {
    expect(buildHintIndex(TEST_SUPERGRAPH + "\n").id).not.toBe(index.id);
  });
});

describe("operation policy", () => {
  it("is the shortest hint of everything selected", () => {
    expect(policyOf('{ person(idNumber: "1") { name } }')).toEqual({ maxAge: 300, scope: "PUBLIC" });
    expect(policyOf('{ person(idNumber: "1") { name homes { area } } }').maxAge).toBe(90);
    expect(policyOf('{ person(idNumber: "1") { household { members { name } } } }').maxAge).toBe(200);
  });

  it("is PRIVATE when any field is", () => {
    expect(policyOf('{ person(idNumber: "1") { name phone } }')).toEqual({ maxAge: 60, scope: "PRIVATE" });
  });

  it("is not cacheable with a field that has no hint, unless its type gets a default", () => {
    expect(ttlOf(policyOf('{ person(idNumber: "1") { notes { text } } }'))).toBe(0);
    expect(ttlOf(policyOf("{ counter }"))).toBe(0);
    expect(policyOf('{ person(idNumber: "1") { notes { text } } }', { Note: 45 }).maxAge).toBe(45);
  });

  it("is not cacheable with only introspection", () => {
    expect(ttlOf(policyOf("{ __typename }"))).toBe(0);
  });

  it("follows fragments", () => {
    const document = parse(
      `query { person(idNumber: "1") { ...F } } fragment F on Person { homes { unit } }`,
    );
    const operation = document.definitions[0] as OperationDefinitionNode;
    const fragments = new Map([["F", document.definitions[1] as never]]);
    expect(selectionPolicy(index, "Query", operation.selectionSet, fragments).maxAge).toBe(90);
  });

  it("restricts by age and scope", () => {
    expect(restrict({ maxAge: 10, scope: "PUBLIC" }, { maxAge: 20, scope: "PRIVATE" })).toEqual({
      maxAge: 10,
      scope: "PRIVATE",
    });
  });
});
