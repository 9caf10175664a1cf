import { createLogger } from "@onecert/subgraph-kit";
import { AuthenticationError } from "@onecert/access";
import { describe, expect, it } from "vitest";
import { createEdge } from "./app";

// Who the client is, as login throttling counts it: the connection's peer, unless that peer is a
// proxy named in TRUST_PROXY, whose X-Forwarded-For then names the client.

async function edgeTrusting(trustedProxies: string[]) {
  const app = await createEdge({
    maxBodyBytes: 1024,
    maxEventLoopDelayMs: 0,
    trustedProxies,
    logger: createLogger("proxy-test"),
    audit: null,
    authenticate: () => Promise.reject(new AuthenticationError("missing credentials")),
    onBehalf: () => Promise.reject(new AuthenticationError("none")),
  });
  app.get("/whoami", { config: { public: true } }, async (request) => ({ ip: request.ip }));
  await app.ready();
  return app;
}

const forwarded = { "x-forwarded-for": "203.0.113.7" };

describe("the client's address", () => {
  it("is the connection's peer by default, whatever X-Forwarded-For claims", async () => {
    const app = await edgeTrusting([]);
    try {
      const answer = await app.inject({ url: "/whoami", headers: forwarded, remoteAddress: "10.0.0.5" });
      expect(answer.json()).toEqual({ ip: "10.0.0.5" });
    } finally {
      await app.close();
    }
  });

  it("is what a trusted proxy forwards, and only a trusted one", async () => {
    const app = await edgeTrusting(["10.0.0.0/8"]);
    try {
      const viaProxy = await app.inject({ url: "/whoami", headers: forwarded, remoteAddress: "10.0.0.5" });
      expect(viaProxy.json()).toEqual({ ip: "203.0.113.7" });
      const direct = await app.inject({ url: "/whoami", headers: forwarded, remoteAddress: "192.0.2.9" });
      expect(direct.json()).toEqual({ ip: "192.0.2.9" });
    } finally {
      await app.close();
    }
  });
});
