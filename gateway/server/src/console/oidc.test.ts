import { AuthenticationError, type UserStore } from "@onecert/access";
import { createLogger, type Db } from "@onecert/subgraph-kit";
import { describe, expect, it } from "vitest";
import { createEdge } from "../edge";
import type { RateCounter } from "../infra";
import { registerOidcRoutes } from "./oidc";

/** A gateway edge with the single sign-on routes and nothing configured: what every gateway without OIDC_ISSUER serves. */
async function edgeWithoutOidc() {
  const app = await createEdge({
    maxBodyBytes: 1024,
    maxEventLoopDelayMs: 0,
    logger: createLogger("oidc-test"),
    audit: null,
    authenticate: () => Promise.reject(new AuthenticationError("missing credentials")),
    onBehalf: () => Promise.reject(new AuthenticationError("none")),
  });
  // Off, nothing of these is touched.
  const unused = {} as UserStore & RateCounter & Db;
  await registerOidcRoutes(app, {
    oidc: undefined,
    users: unused,
    attempts: unused,
    db: unused,
    logger: createLogger("oidc-test"),
  });
  await app.ready();
  return app;
}

describe("console single sign-on when it is off", () => {
  it("says so without a credential, and refuses the login and callback with 404 OIDC_DISABLED", async () => {
    const app = await edgeWithoutOidc();
    try {
      const info = await app.inject({ url: "/console/api/oidc" });
      expect(info.statusCode).toBe(200);
      expect(info.json()).toEqual({ enabled: false, loginUrl: null });
      for (const url of ["/console/api/oidc/login", "/console/api/oidc/callback?code=c&state=s"]) {
        const refused = await app.inject({ url });
        expect(refused.statusCode, url).toBe(404);
        expect(refused.json(), url).toMatchObject({ errors: [{ extensions: { code: "OIDC_DISABLED" } }] });
      }
      const page = await app.inject({ url: "/console/api/oidc/login", headers: { accept: "text/html,*/*" } });
      expect(page.statusCode).toBe(404);
      expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(page.headers["content-security-policy"]).toBe("default-src 'none'");
      expect(page.body).toContain("<code>OIDC_DISABLED</code>");
    } finally {
      await app.close();
    }
  });
});
