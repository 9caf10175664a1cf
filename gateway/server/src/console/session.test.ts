import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { cookieOf, plainLocalhost, sessionCookie } from "./session";

/** What the helpers read of a request, seen through Fastify's own request object. */
async function seen(headers: Record<string, string>) {
  const app = Fastify();
  app.get("/", async (request) => ({
    cookie: cookieOf(request, "onecert_session"),
    local: plainLocalhost(request),
    setCookie: sessionCookie(request, "tok", 60),
  }));
  const response = await app.inject({ method: "GET", url: "/", headers });
  await app.close();
  return response.json<{ cookie: string | null; local: boolean; setCookie: string }>();
}

describe("console session cookie", () => {
  it("reads the session cookie among others, the first when sent twice", async () => {
    expect((await seen({ cookie: "a=1; onecert_session=abc; b=2; onecert_session=def" })).cookie).toBe("abc");
    expect((await seen({ cookie: "onecert_sessionx=abc" })).cookie).toBeNull();
    expect((await seen({ cookie: "onecert_session=" })).cookie).toBeNull();
    expect((await seen({})).cookie).toBeNull();
  });

  it("leaves Secure out only for plain HTTP to localhost", async () => {
    for (const host of ["localhost:4000", "127.0.0.1:4000", "[::1]:4000", "LOCALHOST"]) {
      const { local, setCookie } = await seen({ host });
      expect(local, host).toBe(true);
      expect(setCookie).toBe("onecert_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=60");
    }
    for (const host of ["console.gov.example", "localhost.gov.example", "10.0.0.5:4000"]) {
      const { local, setCookie } = await seen({ host });
      expect(local, host).toBe(false);
      expect(setCookie).toBe("onecert_session=tok; HttpOnly; SameSite=Strict; Path=/; Secure; Max-Age=60");
    }
  });
});
