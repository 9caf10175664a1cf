import Fastify from "fastify";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it, vi } from "vitest";
import { CONSOLE_CSP, registerConsoleStatic } from "./static";

// dist/ of a console, with a file beside it that no path below /console may reach.
const scratch = mkdtempSync(join(tmpdir(), "onecert-console-"));
const dir = join(scratch, "dist");
mkdirSync(join(dir, "assets"), { recursive: true });
writeFileSync(join(dir, "index.html"), "<!doctype html><title>console</title>");
writeFileSync(join(dir, "assets", "index-abc123.js"), `console.log(${JSON.stringify("x".repeat(4000))});`);
writeFileSync(join(scratch, "secret.txt"), "not for the web");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function serve(at: string | null) {
  const logger = { warn: vi.fn() };
  const app = Fastify();
  registerConsoleStatic(app, { dir: at, logger: logger as never });
  await app.ready();
  return { app, logger };
}

describe("the console's static files", () => {
  it("serves index.html uncached under a strict CSP, and hashed assets for a year, gzipped", async () => {
    const { app, logger } = await serve(dir);
    expect(logger.warn).not.toHaveBeenCalled();
    for (const url of ["/console", "/console/", "/console/clerk", "/console/audit/timeline"]) {
      const page = await app.inject({ url });
      expect(page.statusCode, url).toBe(200);
      expect(page.body).toContain("<title>console</title>");
      expect(page.headers["cache-control"]).toBe("no-cache");
      expect(page.headers["content-security-policy"]).toBe(CONSOLE_CSP);
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-eval|https?:/);
    const asset = await app.inject({
      url: "/console/assets/index-abc123.js",
      headers: { "accept-encoding": "gzip" },
    });
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(asset.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(asset.rawPayload).toString()).toContain("console.log");
    await app.close();
  });

  it("answers 404 for a missing file, an API path and anything outside its directory", async () => {
    const { app } = await serve(dir);
    for (const url of [
      "/console/assets/gone-1.js",
      "/console/api/nothing",
      "/console/..%2Fsecret.txt",
      "/console/%2e%2e/secret.txt",
    ]) {
      const answer = await app.inject({ url });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.body).not.toContain("not for the web");
    }
    await app.close();
  });

  it("starts without a built console, warns, and answers 503 CONSOLE_NOT_BUILT", async () => {
    const { app, logger } = await serve(join(dir, "missing"));
    expect(logger.warn).toHaveBeenCalledOnce();
    const answer = await app.inject({ url: "/console/clerk" });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toEqual({
      errors: [
        {
          message: "the web console is not built on this gateway",
          extensions: { code: "CONSOLE_NOT_BUILT" },
        },
      ],
    });
    await app.close();
  });
});
