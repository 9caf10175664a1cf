import { describe, expect, it } from "vitest";
import { RegistryDataSource, type AnnouncedInvalidation } from "./datasource";

const event = (type: string): AnnouncedInvalidation => ({ id: `e-${type}`, type, key: "k", tags: [] });

/** A data source whose subgraph answers every call with `invalidations` in its extensions. */
function sourceAnswering(invalidations: unknown[]) {
  const applied: AnnouncedInvalidation[][] = [];
  const source = new RegistryDataSource({
    name: "population",
    url: "http://population.invalid/graphql",
    fetch: () =>
      Promise.resolve(
        new Response(JSON.stringify({ data: { ok: true }, extensions: { invalidations } }), {
          headers: { "content-type": "application/json" },
        }),
      ),
    onInvalidations: (_subgraph, events) => {
      applied.push(events);
      return Promise.resolve();
    },
  });
  const call = (query: string) =>
    source.process({
      kind: "health check",
      request: {
        query,
        http: { method: "POST", url: "http://population.invalid/graphql", headers: new Headers() },
      },
      context: {},
    } as never);
  return { call, applied };
}

describe("RegistryDataSource and the change events a subgraph returns", () => {
  it("applies those of a mutation's answer before returning it", async () => {
    const { call, applied } = sourceAnswering([event("Person"), event("Household")]);
    await call("mutation M { changeAddress { address } }");
    expect(applied).toEqual([[event("Person"), event("Household")]]);
  });

  it("ignores them on a query, and never takes a subgraph's word to drop everything or malformed ones", async () => {
    const { call, applied } = sourceAnswering([event("*"), event("Person"), { id: 1, type: "Person" }]);
    await call("query Q { person { name } }");
    expect(applied).toEqual([]);
    await call("  mutation M { registerDeath { status } }");
    expect(applied).toEqual([[event("Person")]]);
  });
});
