import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { flowCookie, idpErrorText, refusalPage, usernameOf } from "./oidc-answers";
import { OidcRefusal } from "./oidc-provider";

describe("single sign-on answers", () => {
  it("reads the username claim as a lowercase username, or nothing", () => {
    expect(usernameOf({ preferred_username: " Wang.Fang " }, "preferred_username")).toBe("wang.fang");
    expect(usernameOf({ staff_id: "S-1" }, "staff_id")).toBe("s-1");
    expect(usernameOf({ preferred_username: 7 }, "preferred_username")).toBeNull();
    expect(usernameOf({ preferred_username: "  " }, "preferred_username")).toBeNull();
    expect(usernameOf({ sub: "x" }, "preferred_username")).toBeNull();
    expect(usernameOf({ preferred_username: "a".repeat(257) }, "preferred_username")).toBeNull();
  });

  it("repeats the provider's error code only when it is one", () => {
    expect(idpErrorText("access_denied")).toBe("access_denied");
    expect(idpErrorText("<script>alert(1)</script>")).toBe("an unnamed error");
    expect(idpErrorText("call +1 555 now")).toBe("an unnamed error");
  });

  it("shows a refusal as a page with its code, the message escaped, and the way back", () => {
    const page = refusalPage(
      new OidcRefusal("OIDC_UNKNOWN_USER", "<b>x</b> & 'y' is not a console user"),
      "req-1",
    );
    expect(page).toContain("&lt;b&gt;x&lt;/b&gt; &amp; &#39;y&#39; is not a console user");
    expect(page).toContain("<code>OIDC_UNKNOWN_USER</code>");
    expect(page).toContain('<a href="/console/">');
    expect(page).not.toContain("<b>");
  });

  it("keeps the login's cookie for the callback only, Lax so the provider's redirect carries it", async () => {
    const app = Fastify();
    app.get("/", async (request) => flowCookie(request, "/console/api/oidc/callback", "h", 600));
    const at = async (host: string) =>
      (await app.inject({ method: "GET", url: "/", headers: { host } })).body;
    expect(await at("localhost:4000")).toBe(
      "onecert_oidc=h; HttpOnly; SameSite=Lax; Path=/console/api/oidc/callback; Max-Age=600",
    );
    expect(await at("console.gov.example")).toBe(
      "onecert_oidc=h; HttpOnly; SameSite=Lax; Path=/console/api/oidc/callback; Secure; Max-Age=600",
    );
    await app.close();
  });
});
