import { Refusal } from "./errors";
import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Largest request body accepted, in bytes. Default 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Reads the body up to `limit` bytes; a larger one is a 413, not a memory spike; a hang-up is a 400 REQUEST_ABORTED. */
export async function readBody(req: IncomingMessage, limit = DEFAULT_MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new Refusal("PAYLOAD_TOO_LARGE", `request body over ${limit} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    // A caller that hangs up mid-body is not a server failure: answered (and audited) as a 400.
    if (error instanceof Refusal) throw error;
    if ((error as NodeJS.ErrnoException).code === "ECONNRESET" || req.destroyed)
      throw new Refusal("REQUEST_ABORTED", "the client closed the request before its body arrived");
    throw error;
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

/** The request id of a call: the caller's `x-request-id` when sane, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  const value = Array.isArray(given) ? given[0] : given;
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
}

/** Turns a Node request into Apollo's transport-neutral request. */
export async function toGraphQLRequest(
  req: IncomingMessage,
  maxBodyBytes?: number,
  /** The body, when it was read already (to verify it first). */
  read?: string,
): Promise<HTTPGraphQLRequest> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  let body: unknown = undefined;
  if (req.method === "POST") {
    const text = read ?? (await readBody(req, maxBodyBytes));
    if (text.length > 0 && (headers.get("content-type") ?? "").includes("application/json")) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new Refusal("BAD_REQUEST", "request body is not valid JSON");
      }
    } else {
      body = text;
    }
  }
  return { method: req.method ?? "GET", headers, search: url.search, body };
}

/** Runs one HTTP request through Apollo Server and writes its response. */
export async function serveGraphQL<Context extends BaseContext>(
  server: ApolloServer<Context>,
  req: IncomingMessage,
  res: ServerResponse,
  context: () => Promise<Context>,
  extraHeaders: Record<string, string> = {},
  maxBodyBytes?: number,
  /** The body, when it was read already (to verify it first). */
  read?: string,
): Promise<void> {
  let httpGraphQLRequest: HTTPGraphQLRequest;
  try {
    httpGraphQLRequest = await toGraphQLRequest(req, maxBodyBytes, read);
  } catch (error) {
    if (error instanceof Refusal) {
      sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
      return;
    }
    throw error;
  }
  const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context });
  const headers: Record<string, string> = { ...extraHeaders };
  for (const [key, value] of response.headers) headers[key] = value;
  res.writeHead(response.status ?? 200, headers);
  if (response.body.kind === "complete") {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
