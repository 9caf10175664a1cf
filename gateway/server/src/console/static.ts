import type { Logger } from "@onecert/subgraph-kit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { sendError } from "../edge";

/**
 * Everything the console page may load comes from the gateway itself: scripts only from its own
 * files (no inline script, no eval, no CDN), data only from its own APIs. Styles allow inline
 * because Ant Design writes its CSS-in-JS into <style> elements at run time; images allow data:
 * for the proof sheet's QR codes, workers blob: for the GraphiQL editor's language services.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ttf": "font/ttf",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};
/** Worth compressing: text. Fonts and images are compressed already or small. */
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".json", ".svg", ".txt", ".ttf"]);
/** Vite names every file below assets/ by its content hash: a changed file is a new name. */
const IMMUTABLE = "public, max-age=31536000, immutable";

export interface ConsoleStaticOptions {
  /**
   * The built console (its index.html and assets/). Default: the dist/ of the @onecert/console
   * package (built by the root `npm run build`); the gateway passes CONSOLE_DIST_DIR when set.
   */
  dir?: string | null;
  logger: Logger;
}

/** The console package's dist/, or null when the package is not installed. */
export function consoleDistDir(): string | null {
  try {
    return join(dirname(createRequire(__filename).resolve("@onecert/console/package.json")), "dist");
  } catch {
    return null;
  }
}

interface Served {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
}

/**
 * Serves the web console's static files at /console and /console/*: hashed assets cached for a
 * year, index.html never (so a new build is seen at once), every other path below /console
 * answered with index.html for the page's own router. The files hold no data, so they are public:
 * no credential, no audit record. A gateway whose console was not built still starts, logs a
 * warning, and answers 503 CONSOLE_NOT_BUILT there.
 */
export function registerConsoleStatic(app: FastifyInstance, options: ConsoleStaticOptions): void {
  const dir = options.dir === undefined ? consoleDistDir() : options.dir;
  const root = dir ? resolve(dir) : null;
  const built = () => root !== null && existsSync(join(root, "index.html"));
  if (!built())
    options.logger.warn(
      { dir: root },
      "the web console is not built (npm run build): /console answers 503 until it is",
    );
  // Files are read once and kept with their gzip: the console is a few megabytes at most.
  const cache = new Map<string, Served>();
  const load = (file: string): Served => {
    let served = cache.get(file);
    if (!served) {
      const body = readFileSync(file);
      const ext = extname(file);
      const gzip = COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body) : null;
      served = { body, gzip, type: TYPES[ext] ?? "application/octet-stream" };
      // index.html changes with every build under the same name: read it again each time.
      if (!file.endsWith(`${sep}index.html`)) cache.set(file, served);
    }
    return served;
  };
  const send = (request: FastifyRequest, reply: FastifyReply, file: string, cacheControl: string) => {
    const served = load(file);
    const gzip = served.gzip && /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
    void reply
      .header("content-type", served.type)
      .header("cache-control", cacheControl)
      .header("vary", "accept-encoding")
      .header("content-security-policy", CONSOLE_CSP)
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "no-referrer");
    if (gzip) void reply.header("content-encoding", "gzip");
    return reply.send(gzip ? served.gzip : served.body);
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!root || !built())
      return sendError(
        request,
        reply,
        503,
        "CONSOLE_NOT_BUILT",
        "the web console is not built on this gateway",
      );
    const rest = (request.params as { "*"?: string })["*"] ?? "";
    // The console's API lives beside it; an unknown API path is a 404, never the page.
    if (rest === "api" || rest.startsWith("api/"))
      return sendError(request, reply, 404, "NOT_FOUND", "not found");
    let relative: string;
    try {
      relative = decodeURIComponent(rest.split("?")[0]);
    } catch {
      return sendError(request, reply, 400, "BAD_REQUEST", "malformed path");
    }
    const file = resolve(root, relative);
    // Nothing outside the console's directory, whatever the path says (../, encoded or not).
    if (file !== root && !file.startsWith(root + sep))
      return sendError(request, reply, 404, "NOT_FOUND", "not found");
    if (relative !== "" && existsSync(file) && statSync(file).isFile())
      return send(request, reply, file, relative.startsWith("assets/") ? IMMUTABLE : "no-cache");
    // A missing file is a 404; any other path is a page of the console, which index.html routes.
    if (extname(relative) !== "") return sendError(request, reply, 404, "NOT_FOUND", "not found");
    return send(request, reply, join(root, "index.html"), "no-cache");
  };
  const config = { public: true } as const;
  app.get("/console", { config, schema: { hide: true } }, handler);
  app.get("/console/*", { config, schema: { hide: true } }, handler);
}
