import type { ApolloServer, BaseContext } from "@apollo/server";
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Refusal } from "../errors";
import { HEADERS, headerValue } from "../headers";
import { readBody, sendJson, toGraphQLRequest } from "../http";
import type { Logger } from "../logger";
import { collectSubjects } from "../subjects";
import type { AccessLog } from "./access-log";
import { HOP_ASSERTION_HEADER, HOP_ID_HEADER, type HopContext } from "./claims";
import { HopRefusal, type HopVerifier } from "./verify";

export interface VerifiedServing<Context extends BaseContext> {
  apollo: ApolloServer<Context>;
  verifier: HopVerifier;
  /** Where every verified request is recorded before it is answered. */
  accessLog: AccessLog;
  log: Logger;
  /** The request's context, built once its assertion verified. */
  context: (hop: HopContext, requestId: string) => Promise<Context>;
  /** Extensions to add to the answer once it ran (a registry's committed change events). Default none. */
  extensions?: (context: Context) => Record<string, unknown> | undefined;
  maxBodyBytes?: number;
}

const codeOf = (error: unknown): string | null => {
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  return typeof code === "string" ? code : null;
};

/**
 * Serves one GraphQL request of the gateway: reads the body, verifies the gateway's assertion
 * over it before anything runs (401 with the refusal's code otherwise, and a log line), executes,
 * records the request in the subgraph's own access log, and only then answers, naming the
 * assertion it logged (x-onecert-hop).
 */
export async function serveVerified<Context extends BaseContext>(
  serving: VerifiedServing<Context>,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  let body: string;
  let hop: HopContext;
  try {
    body = req.method === "POST" ? await readBody(req, serving.maxBodyBytes) : "";
    hop = await serving.verifier.verify(headerValue(req.headers, HOP_ASSERTION_HEADER), body);
  } catch (error) {
    if (error instanceof HopRefusal || error instanceof Refusal) {
      if (error instanceof HopRefusal)
        serving.log.warn(
          { requestId, code: error.code, reason: error.message },
          "request refused: not from the gateway",
        );
      return sendJson(
        res,
        error.status,
        { errors: [{ message: error.message, extensions: { code: error.code } }] },
        { [HEADERS.requestId]: requestId },
      );
    }
    throw error;
  }
  const httpGraphQLRequest = await toGraphQLRequest(req, serving.maxBodyBytes, body).catch(
    (error: unknown) => {
      if (error instanceof Refusal) return error;
      throw error;
    },
  );
  if (httpGraphQLRequest instanceof Refusal) {
    return sendJson(res, 400, {
      errors: [{ message: httpGraphQLRequest.message, extensions: { code: "BAD_REQUEST" } }],
    });
  }
  let context: Context | undefined;
  const response = await serving.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: async () => (context = await serving.context(hop, requestId)),
  });
  let text = response.body.kind === "complete" ? response.body.string : "";
  let parsed: { data?: unknown; errors?: unknown[]; extensions?: Record<string, unknown> } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not JSON (a streamed or empty answer): logged without keys.
  }
  const extra = context && serving.extensions?.(context);
  if (extra && response.body.kind === "complete") {
    parsed.extensions = { ...parsed.extensions, ...extra };
    text = JSON.stringify(parsed);
  }
  const keys = new Set<string>();
  collectSubjects(parsed.data, keys, 1000);
  const query = (httpGraphQLRequest.body as { query?: unknown } | undefined)?.query;
  try {
    await serving.accessLog.record({
      hop,
      operationHash: createHash("sha256")
        .update(typeof query === "string" ? query : "")
        .digest("hex"),
      entityKeys: [...keys].sort(),
      outcome: parsed.errors?.length ? "error" : "ok",
      errorCode: parsed.errors?.length ? codeOf(parsed.errors[0]) : null,
      status: response.status ?? 200,
    });
  } catch {
    // Nothing is served that this subgraph could not record.
    return sendJson(res, 503, {
      errors: [{ message: "the access log is unavailable", extensions: { code: "ACCESS_LOG_UNAVAILABLE" } }],
    });
  }
  const headers: Record<string, string> = { [HEADERS.requestId]: requestId, [HOP_ID_HEADER]: hop.id };
  for (const [key, value] of response.headers) headers[key] = value;
  // The body may have grown by the extensions: let Node count it.
  delete headers["content-length"];
  res.writeHead(response.status ?? 200, headers);
  if (response.body.kind === "complete") {
    res.end(text);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
