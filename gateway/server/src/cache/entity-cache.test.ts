import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { describe, expect, it } from "vitest";
import { EntityCache } from "./entity-cache";
import { buildHintIndex } from "./hints";
import { InvalidationLog } from "./invalidation";
import { MemoryCache } from "./memory";
import { cacheStateOf } from "./request-state";
import { TEST_SUPERGRAPH } from "./testing";

const HOMES = `query Q__homes__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{homes{unit area}}}}`;
const person = (id: string) => ({ __typename: "Person", idNumber: id });

/** A stand-in for the homes subgraph: answers from a table and records what it was asked. */
function homesSubgraph(table: Record<string, { unit: string; area: number }[] | null>) {
  const calls: GatewayGraphQLRequest[] = [];
  const errorsFor = new Set<string>();
  let storable = true;
  const send = async (request: GatewayGraphQLRequest) => {
    calls.push(request);
    const reps = request.variables!.representations as { idNumber: string }[];
    const response: GatewayGraphQLResponse = {
      data: {
        _entities: reps.map((rep) =>
          errorsFor.has(rep.idNumber) ? null : { homes: table[rep.idNumber] ?? [] },
        ),
      },
    };
    const errors = reps.flatMap((rep, i) =>
      errorsFor.has(rep.idNumber) ? [{ message: "boom", path: ["_entities", i, "homes"] }] : [],
    );
    if (errors.length) response.errors = errors;
    return { response, storable };
  };
  return { calls, send, errorsFor, setStorable: (value: boolean) => (storable = value) };
}

function setup() {
  const cache = new MemoryCache();
  const log = new InvalidationLog();
  const index = buildHintIndex(TEST_SUPERGRAPH);
  const entities = new EntityCache({ cache, index: () => index, log });
  const caller = (clientId = "cl_a") => ({
    clientId,
    variant: "v",
    context: {},
    trace: { cacheHits: 0, cacheMisses: 0 },
  });
  return { cache, log, entities, caller };
}

const table = {
  A: [{ unit: "U1", area: 50 }],
  B: [],
  C: [
    { unit: "U2", area: 70 },
    { unit: "U3", area: 80 },
  ],
};

describe("EntityCache: _entities fetches", () => {
  it("fetches only the misses, in one call, and stitches them back in order", async () => {
    const { entities, caller } = setup();
    const subgraph = homesSubgraph(table);
    const first = await entities.fetch(
      "homes",
      { query: HOMES, variables: { representations: [person("A"), person("B")] } },
      caller(),
      subgraph.send,
    );
    expect(first.data!._entities).toEqual([{ homes: table.A }, { homes: [] }]);

    const who = caller();
    const second = await entities.fetch(
      "homes",
      { query: HOMES, variables: { representations: [person("B"), person("C"), person("A")] } },
      who,
      subgraph.send,
    );
    expect(second.data!._entities).toEqual([{ homes: [] }, { homes: table.C }, { homes: table.A }]);
    expect(subgraph.calls).toHaveLength(2);
    expect(subgraph.calls[1].variables!.representations).toEqual([person("C")]);
    expect(cacheStateOf(who.context)).toMatchObject({ hits: 2, misses: 1 });
    expect(who.trace).toEqual({ cacheHits: 2, cacheMisses: 1 });

    const third = await entities.fetch(
      "homes",
      { query: HOMES.replace("Q__", "Other__"), variables: { representations: [person("C")] } },
      caller(),
      subgraph.send,
    );
    expect(third.data!._entities).toEqual([{ homes: table.C }]);
    expect(subgraph.calls).toHaveLength(2);
  });

  it("re-points subgraph errors at the original entity and does not store failed entities", async () => {
    const { entities, caller } = setup();
    const subgraph = homesSubgraph(table);
    await entities.fetch(
      "homes",
      { query: HOMES, variables: { representations: [person("A")] } },
      caller(),
      subgraph.send,
    );
    subgraph.errorsFor.add("C");
    const response = await entities.fetch(
      "homes",
      { query: HOMES, variables: { representations: [person("A"), person("C")] } },
      caller(),
      subgraph.send,
    );
    expect(response.data!._entities).toEqual([{ homes: table.A }, null]);
    expect(response.errors).toEqual([{ message: "boom", path: ["_entities", 1, "homes"] }]);
    subgraph.errorsFor.clear();
    await entities.fetch(
      "homes",
      { query: HOMES, variables: { representations: [person("C")] } },
      caller(),
      subgraph.send,
    );
    expect(subgraph.calls.map((call): unknown => call.variables!.representations)).toEqual([
      [person("A")],
      [person("C")],
      [person("C")],
    ]);
  });

  it("keeps PRIVATE selections per caller", async () => {
    const { entities, caller } = setup();
    const query = `query($representations:[_Any!]!){_entities(representations:$representations){...on Person{name phone}}}`;
    let calls = 0;
    const send = async () => {
      calls += 1;
      return { response: { data: { _entities: [{ name: "N", phone: "138" }] } }, storable: true };
    };
    await entities.fetch(
      "people",
      { query, variables: { representations: [person("A")] } },
      caller("cl_a"),
      send,
    );
    await entities.fetch(
      "people",
      { query, variables: { representations: [person("A")] } },
      caller("cl_a"),
      send,
    );
    expect(calls).toBe(1);
    await entities.fetch(
      "people",
      { query, variables: { representations: [person("A")] } },
      caller("cl_b"),
      send,
    );
    expect(calls).toBe(2);
  });

  it("does not store what was read before an invalidation of it, nor an unstorable answer", async () => {
    const { entities, caller, log } = setup();
    const subgraph = homesSubgraph(table);
    const send = async (request: GatewayGraphQLRequest) => {
      log.record(["Person:A"]);
      return subgraph.send(request);
    };
    await entities.fetch(
      "homes",
      { query: HOMES, variables: { representations: [person("A")] } },
      caller(),
      send,
    );
    subgraph.setStorable(false);
    await entities.fetch(
      "homes",
      { query: HOMES, variables: { representations: [person("B")] } },
      caller(),
      subgraph.send,
    );
    subgraph.setStorable(true);
    await entities.fetch(
      "homes",
      { query: HOMES, variables: { representations: [person("A"), person("B")] } },
      caller(),
      subgraph.send,
    );
    expect(subgraph.calls).toHaveLength(3);
    expect(subgraph.calls[2].variables!.representations).toEqual([person("A"), person("B")]);
  });

  it("tags each entity and the entities inside it, and drops on invalidation", async () => {
    const { entities, caller, cache } = setup();
    const subgraph = homesSubgraph(table);
    const who = caller();
    await entities.fetch(
      "homes",
      { query: HOMES, variables: { representations: [person("C")] } },
      who,
      subgraph.send,
    );
    expect([...cacheStateOf(who.context).tags].sort()).toEqual([
      "Home:*",
      "Home:U2",
      "Home:U3",
      "Person:*",
      "Person:C",
    ]);
    expect(await cache.deleteByTag(["Home:U3"])).toBe(1);
    await entities.fetch(
      "homes",
      { query: HOMES, variables: { representations: [person("C")] } },
      caller(),
      subgraph.send,
    );
    expect(subgraph.calls).toHaveLength(2);
  });
});

describe("EntityCache: a new supergraph", () => {
  it("starts a new key space, since its hints and rules may differ", async () => {
    const cache = new MemoryCache();
    let index = buildHintIndex(TEST_SUPERGRAPH);
    const entities = new EntityCache({ cache, index: () => index, log: new InvalidationLog() });
    const subgraph = homesSubgraph(table);
    const request = () => ({ query: HOMES, variables: { representations: [person("A")] } });
    const caller = () => ({ clientId: "cl_a", variant: "v", context: {} });
    await entities.fetch("homes", request(), caller(), subgraph.send);
    await entities.fetch("homes", request(), caller(), subgraph.send);
    index = buildHintIndex(`${TEST_SUPERGRAPH}\n# version 2\n`);
    await entities.fetch("homes", request(), caller(), subgraph.send);
    expect(subgraph.calls).toHaveLength(2);
  });
});

describe("EntityCache: root-field fetches", () => {
  const PERSON = `query P__people__0($id:String!){person(idNumber:$id){name household{number members{name}}}}`;

  it("caches a root field as a whole, tagged with the key argument and the data", async () => {
    const { entities, caller, cache } = setup();
    let calls = 0;
    const send = async (request: GatewayGraphQLRequest) => {
      calls += 1;
      const id = request.variables!.id as string;
      const data =
        id === "none"
          ? { person: null }
          : { person: { name: "N", household: { number: "H1", members: [{ name: "M" }] } } };
      return { response: { data }, storable: true };
    };
    const who = caller();
    await entities.fetch("people", { query: PERSON, variables: { id: "A" } }, who, send);
    await entities.fetch("people", { query: PERSON, variables: { id: "A" } }, caller(), send);
    expect(calls).toBe(1);
    expect(cacheStateOf(who.context).tags).toEqual(
      new Set(["Person:A", "Person:*", "Person:?", "Household:*", "Household:?"]),
    );
    await entities.fetch("people", { query: PERSON, variables: { id: "none" } }, caller(), send);
    await entities.fetch("people", { query: PERSON, variables: { id: "none" } }, caller(), send);
    expect(calls).toBe(2);
    expect(await cache.deleteByTag(["Person:none"])).toBe(1);
  });

  it("does not store a result it cannot tie to its entities", async () => {
    const { entities, caller } = setup();
    let calls = 0;
    const send = async () => ((calls += 1), { response: { data: { household: null } }, storable: true });
    const query = `query($n:String!){household(number:$n){number}}`;
    const who = caller();
    await entities.fetch("people", { query, variables: { n: "H9" } }, who, send);
    await entities.fetch("people", { query, variables: { n: "H9" } }, caller(), send);
    expect(calls).toBe(2);
    expect(cacheStateOf(who.context).untagged).toBe(true);
  });

  it("passes mutations through and marks the request untagged", async () => {
    const { entities, caller } = setup();
    let calls = 0;
    const send = async () => ((calls += 1), { response: { data: { x: 1 } }, storable: true });
    const who = caller();
    await entities.fetch("people", { query: `mutation { x }` }, who, send);
    await entities.fetch("people", { query: `mutation { x }` }, caller(), send);
    expect(calls).toBe(2);
    expect(cacheStateOf(who.context).untagged).toBe(true);
  });
});
