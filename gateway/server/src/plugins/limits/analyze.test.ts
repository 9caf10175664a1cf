import { buildSchema, getOperationAST, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { analyze } from "./analyze";

const schema = buildSchema(`
  type Query {
    person(id: ID!): Person
    persons(ids: [ID!]!): [Person!]!
    search(first: Int, limit: Int, last: Int): [Person!]!
    node(id: ID!): Node
    hello: String
    matrix: [[Int]]
    grid: [[Person]]
  }
  interface Node { id: ID! }
  type Person implements Node {
    id: ID!
    name: String
    spouse: Person
    friends(first: Int): [Person!]!
    properties: [Property!]!
  }
  type Property implements Node { id: ID! owners: [Person!]! }
`);

const measure = (query: string, variables?: Record<string, unknown>, operationName?: string) => {
  const document = parse(query);
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error("no operation");
  return analyze(document, operation, schema, variables, { defaultListSize: 10 });
};

describe("analyze", () => {
  it("measures a plain query", () => {
    expect(measure(`{ person(id: "1") { name spouse { name } } }`)).toEqual({
      depth: 3,
      aliases: 0,
      rootFields: 1,
      cost: 4,
    });
  });

  it("multiplies a list field's subtree by the length of a list literal argument", () => {
    expect(measure(`{ persons(ids: ["a", "b", "c"]) { name } }`).cost).toBe(1 + 3 * 1);
  });

  it("takes the list size from a list variable, its default, or the default size", () => {
    const query = `query($ids: [ID!]!) { persons(ids: $ids) { id name } }`;
    const ids = Array.from({ length: 100 }, (_, index) => String(index));
    expect(measure(query, { ids }).cost).toBe(1 + 100 * 2);
    expect(measure(query, {}).cost).toBe(1 + 10 * 2);
    expect(measure(query).cost).toBe(1 + 10 * 2);
    expect(measure(query, { ids: "single" }).cost).toBe(1 + 1 * 2);
    expect(measure(`query($ids: [ID!]! = ["a", "b"]) { persons(ids: $ids) { id } }`).cost).toBe(3);
    expect(measure(`query($ids: [ID!]! = ["a", "b"]) { persons(ids: $ids) { id } }`, { ids: [] }).cost).toBe(
      1,
    );
  });

  it("takes the list size from first, limit or last when no list argument gives it", () => {
    expect(measure(`{ search(first: 5) { id } }`).cost).toBe(1 + 5);
    expect(measure(`{ search(limit: 7) { id } }`).cost).toBe(1 + 7);
    expect(measure(`{ search(last: 2) { id } }`).cost).toBe(1 + 2);
    expect(measure(`query($n: Int) { search(first: $n) { id } }`, { n: 50 }).cost).toBe(1 + 50);
    expect(measure(`query($n: Int) { search(first: $n) { id } }`).cost).toBe(1 + 10);
    expect(measure(`query($n: Int = 3) { search(first: $n) { id } }`).cost).toBe(1 + 3);
    expect(measure(`query($n: Int = 3) { search(first: $n) { id } }`, { n: null }).cost).toBe(1 + 10);
    expect(measure(`query($n: Int) { search(first: $n) { id } }`, { n: "5" }).cost).toBe(1 + 10);
    expect(measure(`{ search { id } }`).cost).toBe(1 + 10);
  });

  it("multiplies nested lists", () => {
    const query = `{ persons(ids: ["a", "b"]) { friends(first: 5) { properties { id } } } }`;
    // persons 1 + 2 × (friends 1 + 5 × (properties 1 + 10 × id 1))
    expect(measure(query).cost).toBe(1 + 2 * (1 + 5 * (1 + 10 * 1)));
    expect(measure(`{ matrix }`).cost).toBe(1);
    expect(measure(`{ grid { id } }`).cost).toBe(1 + 10 * 10 * 1);
  });

  it("expands named fragments and inline fragments", () => {
    const inline = measure(`{ node(id: "1") { id ... on Person { name spouse { name } } } }`);
    const named = measure(`
      { node(id: "1") { id ...P } }
      fragment P on Person { name spouse { name } }
    `);
    expect(named).toEqual(inline);
    expect(named).toEqual({ depth: 3, aliases: 0, rootFields: 1, cost: 5 });
  });

  it("counts inline fragments without a type condition under the parent type", () => {
    expect(measure(`{ person(id: "1") { ... { friends(first: 3) { id } } } }`).cost).toBe(1 + (1 + 3));
  });

  it("stops at fragment cycles instead of looping", () => {
    const result = measure(`
      { person(id: "1") { ...A } }
      fragment A on Person { name spouse { ...B } }
      fragment B on Person { id spouse { ...A } }
    `);
    expect(result.depth).toBeGreaterThanOrEqual(3);
    expect(Number.isFinite(result.cost)).toBe(true);
  });

  it("stops at a fragment that spreads itself", () => {
    const result = measure(`{ person(id: "1") { ...A } } fragment A on Person { id ...A }`);
    expect(result).toEqual({ depth: 2, aliases: 0, rootFields: 1, cost: 2 });
  });

  it("measures a fragment bomb in linear time", () => {
    const levels = 40;
    const fragments = Array.from(
      { length: levels },
      (_, index) => `fragment F${index} on Person { ...F${index + 1} ...F${index + 1} }`,
    ).join("\n");
    const started = performance.now();
    const result = measure(
      `{ person(id: "1") { ...F0 } }\n${fragments}\nfragment F${levels} on Person { id }`,
    );
    expect(performance.now() - started).toBeLessThan(200);
    expect(result.cost).toBe(1 + 2 ** levels);
  });

  it("counts aliases wherever they appear after expansion", () => {
    const result = measure(`
      { a: hello b: hello person(id: "1") { ...N } other: person(id: "2") { ...N } }
      fragment N on Person { n1: name n2: name }
    `);
    expect(result.aliases).toBe(3 + 2 + 2);
    expect(result.rootFields).toBe(4);
  });

  it("counts root fields after fragment expansion, merging repeated response keys", () => {
    const result = measure(`
      { hello ...Roots ... on Query { person(id: "1") { id } } }
      fragment Roots on Query { hello x: hello y: hello persons(ids: []) { id } }
    `);
    expect(result.rootFields).toBe(5);
  });

  it("counts introspection fields like any other", () => {
    const result = measure(`{ __typename __schema { types { name fields { name } } } }`);
    expect(result.rootFields).toBe(2);
    expect(result.depth).toBe(4);
    // __typename 1 + __schema (1 + types (1 + 10 × (name 1 + fields (1 + 10 × name 1))))
    expect(result.cost).toBe(1 + (1 + (1 + 10 * (1 + (1 + 10 * 1)))));
    expect(measure(`{ __type(name: "Person") { name fields { name } } }`).cost).toBe(1 + (1 + (1 + 10)));
  });

  it("counts fields the schema does not know without failing", () => {
    expect(measure(`{ nope { deeper { still } } }`)).toEqual({
      depth: 3,
      aliases: 0,
      rootFields: 1,
      cost: 3,
    });
    expect(measure(`{ person(id: "1") { ...Missing } }`).cost).toBe(1);
  });

  it("analyses only the selected operation", () => {
    const query = `query Small { hello } query Big { persons(ids: ["a", "b"]) { id } }`;
    expect(measure(query, {}, "Small").cost).toBe(1);
    expect(measure(query, {}, "Big").cost).toBe(3);
  });
});
