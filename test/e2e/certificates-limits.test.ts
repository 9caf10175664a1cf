import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateWindow } from "../support/certificates";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * A check and its data request are one request to the caller's limits: the data request comes
 * back through the gateway as the caller, with the token the gateway gave the check, and is
 * neither counted against the rate limit again nor held to the client's safelist.
 */

const CHECK = `query($id: IdNumber!) { checkCertificates(subject: { idNumber: $id }, types: ["identity-status"]) {
  certificate { id } status } }`;
type Reply = { checkCertificates: { certificate: { id: string }; status: string }[] };

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t?.stop();
});

describe("a certificate check against the caller's limits", () => {
  it("counts once against the rate limit", async () => {
    const window = await certificateWindow(t, "limited-window", { rateLimitPerMinute: 3 });
    const headers = window.headers("property-transaction");
    const id = t.sample("person-showcase");
    for (let n = 1; n <= 3; n += 1) {
      const reply = await t.gql<Reply>(CHECK, { id }, headers);
      expect(reply.errors, `check ${n}: ${JSON.stringify(reply.errors)}`).toBeUndefined();
      expect(reply.data!.checkCertificates[0].status).toBe("SATISFIED");
    }
    const fourth = await t.gql<Reply>(CHECK, { id }, headers);
    expect(fourth.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  });

  it("lets a safelisted client run a registered check, and nothing unregistered", async () => {
    const window = await certificateWindow(t, "safelisted-window", { safelist: true });
    const headers = window.headers("property-transaction");
    const id = t.sample("person-showcase");
    const unregistered = await t.gql<Reply>(CHECK, { id }, headers);
    expect(unregistered.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    await t.stack.gateway.access.operations.register({
      name: "IdentityCheck",
      query: CHECK,
      clientId: window.clientId,
      registeredBy: window.clientId,
    });
    const reply = await t.gql<Reply>(CHECK, { id }, headers);
    expect(reply.errors, JSON.stringify(reply.errors)).toBeUndefined();
    expect(reply.data!.checkCertificates[0].status).toBe("SATISFIED");
    // A token the gateway did not give opens nothing.
    const forged = await t.gql(
      "query($id: IdNumber!) { person(idNumber: $id) { status } }",
      { id },
      { ...headers, "x-onecert-check": "forged" },
    );
    expect(forged.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });
});
