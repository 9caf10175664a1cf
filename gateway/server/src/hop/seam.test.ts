import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { AuthenticatedClient } from "@onecert/access";
import {
  createHopVerifier,
  HOP_ASSERTION_HEADER,
  memoryReplayGuard,
  standardSuite,
  type HopClient,
  type Keyring,
  type SigningKey,
} from "@onecert/subgraph-kit";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { FetchInit } from "../cache/inflight";
import { newTrace, type GatewayContext } from "../context";
import { createHop, HOP_CONTEXT_HEADER } from "./seam";
import { createHopSigner, type HopCaller } from "./sign";

const key = standardSuite.generateKeyPair();
const signing: SigningKey = { kid: "gw-1", suite: standardSuite, key };
const unused = () => Promise.reject(new Error("not used by the signer"));
const keyring: Keyring = {
  signingKey: async () => signing,
  noteSigned: unused,
  rotate: unused,
  published: unused,
  list: unused,
};
const signer = createHopSigner({ keyring, issuer: "onecert-gateway", ttlSeconds: 30 });
const verifier = (audience: string) =>
  createHopVerifier({
    audience,
    keys: { key: async (kid) => (kid === signing.kid ? key.publicKey : undefined) },
    replay: memoryReplayGuard(),
  });

const CLIENT: AuthenticatedClient = {
  id: "cl_window",
  name: "window-1",
  role: "window",
  department: "gov-center",
  safelist: true,
  rateLimitPerMinute: 100,
  via: "api-key",
  credentialId: "key_1",
};

function context(overrides: Partial<GatewayContext> = {}): GatewayContext {
  return {
    requestId: "req-1",
    log: pino({ level: "silent" }),
    client: CLIENT,
    purpose: { operatorId: "clerk-3", matterCode: "M-7", caseNumber: null },
    trace: newTrace(),
    ...overrides,
  };
}

/** A transport that records what reaches it and answers 200. */
function recorder() {
  const calls: { url: string; init?: FetchInit }[] = [];
  const answer = new Response("{}", { status: 200 });
  const transport = async (url: string, init?: FetchInit) => (calls.push({ url, init }), answer);
  return { calls, answer, transport };
}

const BODY = JSON.stringify({ query: 'query { person(idNumber: "1") { name } }' });

describe("createHop().signing", () => {
  it("replaces the hop-context header by an assertion over the exact body, passing everything else", async () => {
    const hop = createHop({ signer, trusted: [] });
    const { calls, answer, transport } = recorder();
    const signal = new AbortController().signal;
    const init: FetchInit = {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-request-id": "req-1",
        "x-custom": "kept",
        [HOP_CONTEXT_HEADER]: hop.callerOf(context()),
      },
      body: BODY,
      signal,
    };
    const response = await hop.signing("population", transport)("http://population/graphql", init);
    expect(response).toBe(answer);
    expect(calls).toHaveLength(1);
    const [sent] = calls;
    expect(sent.url).toBe("http://population/graphql");
    expect(sent.init).toMatchObject({ method: "POST", body: BODY, signal });
    const { [HOP_ASSERTION_HEADER]: assertion, ...rest } = sent.init!.headers!;
    expect(rest).toEqual({ "content-type": "application/json", "x-request-id": "req-1", "x-custom": "kept" });
    // The caller's own init is left as it was (the in-flight deduplication keys on it).
    expect(init.headers![HOP_CONTEXT_HEADER]).toBeDefined();
    expect(await verifier("population").verify(assertion, BODY)).toMatchObject({
      requestId: "req-1",
      client: { id: "cl_window", name: "window-1", role: "window", department: "gov-center" },
      operatorId: "clerk-3",
      matterCode: "M-7",
      caseNumber: null,
    });
    await expect(verifier("population").verify(assertion, `${BODY} `)).rejects.toMatchObject({
      code: "HOP_BODY_MISMATCH",
    });
    await expect(verifier("property").verify(assertion, BODY)).rejects.toMatchObject({
      code: "HOP_ASSERTION_AUDIENCE",
    });
  });

  it("signs a call without a hop context as the gateway's own, naming no caller", async () => {
    const asked: [string, string, HopCaller][] = [];
    const hop = createHop({
      signer: { assert: async (...args) => (asked.push(args), signer.assert(...args)) },
      trusted: [],
    });
    const { calls, transport } = recorder();
    await hop.signing("population", transport)("http://population/graphql", { body: "{}" });
    expect(asked).toEqual([
      [
        "population",
        "{}",
        { requestId: "", client: null, operatorId: null, matterCode: null, caseNumber: null },
      ],
    ]);
    expect(calls[0].init?.headers?.[HOP_ASSERTION_HEADER]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(calls[0].init?.headers).not.toHaveProperty(HOP_CONTEXT_HEADER);
  });

  it("keys the caller by client and purpose only", () => {
    const hop = createHop({ signer, trusted: [] });
    const same = hop.callerOf(context({ requestId: "other", trace: newTrace() }));
    expect(same).toBe(hop.callerOf(context()));
    expect(
      hop.callerOf(context({ purpose: { operatorId: "clerk-3", matterCode: "M-8", caseNumber: null } })),
    ).not.toBe(same);
    const parsed = JSON.parse(same) as [HopClient, string, string, null];
    expect(parsed).toEqual([
      { id: "cl_window", name: "window-1", role: "window", department: "gov-center" },
      "clerk-3",
      "M-7",
      null,
    ]);
    expect(JSON.parse(hop.callerOf(undefined))).toEqual([null, null, null, null]);
  });
});

describe("createHop().received", () => {
  const answer = (
    headers: Record<string, string>,
    extensions?: Record<string, unknown>,
  ): GatewayGraphQLResponse => ({
    data: {},
    extensions,
    http: { headers: new Headers(headers), status: 200 },
  });

  it("records the assertion each subgraph acknowledged as subgraph:id", () => {
    const hop = createHop({ signer, trusted: [] });
    const ctx = context();
    hop.received("population", answer({ "x-onecert-hop": "abc" }), ctx);
    hop.received("property", answer({ "x-onecert-hop": "def" }), ctx);
    hop.received("legal-entity", answer({}), ctx);
    expect([...ctx.trace.hops]).toEqual(["population:abc", "property:def"]);
    expect(() => hop.received("population", answer({ "x-onecert-hop": "x" }), undefined)).not.toThrow();
  });

  it("believes extensions.certificates only from a trusted subgraph, and only its strings", () => {
    const hop = createHop({ signer, trusted: ["certificates"] });
    const ctx = context();
    const report = { certificates: ["residence", 42, null, "marriage"] };
    hop.received("certificates", answer({}, report), ctx);
    hop.received("population", answer({}, { certificates: ["forged"] }), ctx);
    hop.received("certificates", answer({}, { certificates: "not-a-list" }), ctx);
    expect([...ctx.trace.certificates]).toEqual(["residence", "marriage"]);
  });
});
