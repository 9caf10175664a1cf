import { describe, expect, it } from "vitest";
import {
  apqKey,
  canonicalJson,
  entityKey,
  entityTag,
  fetchKey,
  grantsFingerprint,
  labelOf,
  maskingFingerprint,
  responseKey,
  typeTag,
  unkeyedTag,
  type ResponseKeyParts,
} from "./keys";

const entity = {
  subgraph: "property",
  type: "Person",
  selection: "sel1",
  representation: '{"idNumber":"1"}',
  scope: null,
  variant: "v",
};

const response: ResponseKeyParts = {
  schema: "s1",
  clientId: "cl_a",
  role: "window",
  department: "government-service-center",
  matter: "public-rental-housing",
  grants: "g1",
  masking: "m1",
  queryHash: "q1",
  operationName: "Citizen",
  variables: { id: "1", opts: { b: 2, a: 1 } },
};

describe("cache keys", () => {
  it("writes JSON with sorted object keys at every level", () => {
    expect(canonicalJson({ b: [{ y: 1, x: 2 }], a: null, c: undefined })).toBe(
      '{"a":null,"b":[{"x":2,"y":1}]}',
    );
  });

  it("names kind and label first, so the counters can read the label", () => {
    const key = entityKey(entity);
    expect(key).toMatch(/^e:Person:property:[\w-]{22}$/);
    expect(labelOf(key)).toBe("Person");
    expect(labelOf(responseKey(response))).toBe("response");
    expect(labelOf(apqKey("abc"))).toBe("apq");
    expect(
      fetchKey({
        subgraph: "population",
        label: "Person",
        selection: "s",
        variables: "[]",
        scope: null,
        variant: "v",
      }),
    ).toMatch(/^f:Person:population:/);
  });

  it("separates every part of an entity key", () => {
    const base = entityKey(entity);
    expect(entityKey({ ...entity })).toBe(base);
    for (const change of [
      { selection: "sel2" },
      { representation: '{"idNumber":"2"}' },
      { scope: "cl_a" },
      { variant: "w" },
      { subgraph: "population" },
    ]) {
      expect(entityKey({ ...entity, ...change })).not.toBe(base);
    }
  });

  it("separates every part that decides what a caller sees in a response key", () => {
    const base = responseKey(response);
    expect(responseKey({ ...response, variables: { opts: { a: 1, b: 2 }, id: "1" } })).toBe(base);
    for (const change of [
      { schema: "s2" },
      { clientId: "cl_b" },
      { role: "department" },
      { department: "public-security" },
      { matter: "retirement" },
      { grants: "g2" },
      { masking: "m2" },
      { queryHash: "q2" },
      { operationName: null },
      { variables: { id: "2" } },
    ]) {
      expect(responseKey({ ...response, ...change })).not.toBe(base);
    }
  });

  it("fingerprints the grants that serve the matter, in any order", () => {
    const day = (n: number) => new Date(Date.UTC(2030, 0, n));
    const a = { id: "gr_a", matters: ["m1"], validFrom: day(1), validUntil: day(9) };
    const b = { id: "gr_b", matters: ["m1", "m2"], validFrom: day(1), validUntil: day(9) };
    const other = { id: "gr_c", matters: ["m2"], validFrom: day(1), validUntil: day(9) };
    expect(grantsFingerprint([a, b], "m1")).toBe(grantsFingerprint([b, a, other], "m1"));
    expect(grantsFingerprint([a], "m1")).not.toBe(grantsFingerprint([a, b], "m1"));
    expect(grantsFingerprint([a], "m1")).not.toBe(grantsFingerprint([{ ...a, validUntil: day(8) }], "m1"));
    expect(grantsFingerprint([], "m1")).toBe(grantsFingerprint([other], "m1"));
  });

  it("fingerprints masking rules by content", () => {
    const rules = { IDENTIFIER: { keepStart: 6, keepEnd: 4, char: "*" } };
    expect(maskingFingerprint(rules)).toBe(
      maskingFingerprint({ IDENTIFIER: { char: "*", keepEnd: 4, keepStart: 6 } }),
    );
    expect(maskingFingerprint(rules)).not.toBe(
      maskingFingerprint({ IDENTIFIER: { keepStart: 3, keepEnd: 4, char: "*" } }),
    );
  });

  it("spells tags the way invalidation events do", () => {
    expect(entityTag("Household", "H99010100000001")).toBe("Household:H99010100000001");
    expect(unkeyedTag("Person")).toBe("Person:?");
    expect(typeTag("Person")).toBe("Person:*");
  });
});
