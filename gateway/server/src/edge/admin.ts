import { Refusal } from "@onecert/subgraph-kit";
import { AuditUnavailableError } from "@onecert/audit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Readable } from "node:stream";
import { z } from "zod";
import { errorBody } from "../admin/fields";
import { isDownload, type AdminDownload, type AdminRequest, type AdminRoute } from "../admin/types";
import { sendError } from "./errors";
import { stateOf } from "./state";

export interface AdminEdgeOptions {
  /** Largest accepted body in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
}

/** What a 401 carries (the GraphQL error shape, as every unauthenticated answer). */
const unauthenticatedBody = z
  .object({
    errors: z.array(
      z.object({ message: z.string(), extensions: z.object({ code: z.literal("UNAUTHENTICATED") }) }),
    ),
  })
  .meta({ id: "Unauthenticated" });

const REFUSALS = { 401: unauthenticatedBody, "4xx": errorBody, "5xx": errorBody };

/** Each `:name` segment as a string, for routes that declare no params schema. */
function paramsOf(pattern: string): z.ZodType | undefined {
  const names = pattern
    .split("/")
    .filter((segment) => segment.startsWith(":"))
    .map((segment) => segment.slice(1));
  if (names.length === 0) return undefined;
  return z.strictObject(Object.fromEntries(names.map((name) => [name, z.string().min(1)])));
}

function responseOf(endpoint: AdminRoute | AdminDownload) {
  if (isDownload(endpoint)) {
    const content = Object.fromEntries(endpoint.produces.map((type) => [type, { schema: z.string() }]));
    return { 200: { description: "The lines, streamed", content }, ...REFUSALS };
  }
  return { "2xx": z.object({ data: endpoint.schema.response }), ...REFUSALS };
}

function requestOf(request: FastifyRequest): AdminRequest {
  const state = stateOf(request);
  return {
    method: request.method,
    path: request.url.split("?")[0].slice("/admin".length),
    params: request.params,
    query: request.query,
    body: request.body,
    client: state.client!,
    requestId: request.id,
  };
}

async function serveDownload(endpoint: AdminDownload, request: FastifyRequest, reply: FastifyReply) {
  const { type, lines } = endpoint.open(requestOf(request));
  try {
    // Recorded before the first line: the body is too large to hold back until then.
    await stateOf(request).scope?.stream();
  } catch (error) {
    if (error instanceof AuditUnavailableError) throw new Refusal(error.code, error.message);
    throw error;
  }
  return reply.code(200).type(type).header("cache-control", "no-store").send(Readable.from(lines));
}

/**
 * Declares each endpoint below /admin as a Fastify route with its schemas (validated by zod,
 * described in the OpenAPI document), its roles checked before the body is read (403), and its
 * answer wrapped as `{"data": ...}` with `cache-control: no-store`.
 */
export function registerAdminRoutes(
  app: FastifyInstance,
  endpoints: readonly (AdminRoute | AdminDownload)[],
  options: AdminEdgeOptions = {},
): void {
  for (const endpoint of endpoints) {
    const { schema } = endpoint;
    const acceptsBody = endpoint.method !== "GET";
    const params = schema.params ?? paramsOf(endpoint.pattern);
    app.route({
      method: endpoint.method,
      url: `/admin${endpoint.pattern}`,
      bodyLimit: options.maxBodyBytes ?? 64 * 1024,
      schema: {
        summary: endpoint.summary,
        tags: [endpoint.tag],
        security: [{ bearer: [] }],
        ...(params ? { params } : {}),
        querystring: schema.query ?? z.strictObject({}),
        ...(acceptsBody ? { body: schema.body ?? z.strictObject({}) } : {}),
        response: responseOf(endpoint),
      },
      onRequest: async (request, reply) => {
        const { client, session } = stateOf(request);
        const user = session?.user;
        if (user && endpoint.consoleRoles && !endpoint.consoleRoles.includes(user.role)) {
          return sendError(
            request,
            reply,
            403,
            "FORBIDDEN",
            `a ${user.role} console user may not call ${endpoint.method} /admin${endpoint.pattern}`,
          );
        }
        if (client && !endpoint.roles.includes(client.role)) {
          return sendError(
            request,
            reply,
            403,
            "FORBIDDEN",
            `a ${client.role} client may not call ${endpoint.method} /admin${endpoint.pattern}`,
          );
        }
      },
      // An absent body reads as {}, so "name is required" names what is missing; an empty
      // query parameter (?status=) as one not given.
      preValidation: async (request) => {
        if (acceptsBody && request.body === undefined) request.body = {};
        const given = request.query as Record<string, unknown>;
        for (const key of Object.keys(given)) if (given[key] === "") delete given[key];
      },
      handler: async (request, reply) => {
        if (isDownload(endpoint)) return serveDownload(endpoint, request, reply);
        const result = await endpoint.handle(requestOf(request));
        return reply.code(result.status).header("cache-control", "no-store").send({ data: result.body });
      },
    });
  }
}
