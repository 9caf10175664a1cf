import { describe, expect, it } from "vitest";
import { callerHeadersOf, credentialsOf, isTrustedSubgraph } from "./forward";
import { newTrace, type GatewayContext } from "../context";

describe("what the gateway forwards to the certificates subgraph", () => {
  const config = {
    trustedSubgraphs: ["certificates"],
    subgraphUrls: { certificates: "http://certificates:4005/graphql" },
  };

  it("trusts a named subgraph only at a configured or loopback URL", () => {
    expect(isTrustedSubgraph("certificates", "http://certificates:4005/graphql", config)).toBe(true);
    expect(
      isTrustedSubgraph("certificates", "http://127.0.0.1:4005/graphql", { ...config, subgraphUrls: {} }),
    ).toBe(true);
    expect(
      isTrustedSubgraph("certificates", "http://elsewhere.example/graphql", { ...config, subgraphUrls: {} }),
    ).toBe(false);
    expect(isTrustedSubgraph("population", "http://127.0.0.1:4001/graphql", config)).toBe(false);
  });

  it("forwards the credential and the stated purpose, nothing else", () => {
    const credentials = credentialsOf({
      authorization: " Bearer oc_key_x ",
      cookie: "c",
      "x-api-key": ["k1", "k2"],
    });
    expect(credentials).toEqual({ authorization: "Bearer oc_key_x", "x-api-key": "k1" });
    const context = {
      credentials,
      purpose: { operatorId: "clerk-1", matterCode: "newborn", caseNumber: null },
      trace: newTrace(),
    } as unknown as GatewayContext;
    expect(callerHeadersOf(context)).toEqual({
      authorization: "Bearer oc_key_x",
      "x-api-key": "k1",
      "x-operator-id": "clerk-1",
      "x-matter-code": "newborn",
    });
  });
});
