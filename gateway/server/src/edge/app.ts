import {
  AuthenticationError,
  purposeOf,
  type AuthenticatedClient,
  type RequestPurpose,
} from "@onecert/access";
import { auditResponse, type AuditRecorder } from "@onecert/audit";
import {
  HEADERS,
  headerValue,
  ON_BEHALF_HEADER,
  Refusal,
  requestIdOf,
  type Logger,
} from "@onecert/subgraph-kit";
import underPressure from "@fastify/under-pressure";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import type { IncomingHttpHeaders } from "node:http";
import type { SessionGate } from "../console/session";
import type { OnBehalf } from "../hop/on-behalf";
import { edgeErrorHandler, sendError } from "./errors";
import { edgeRefusalHandler } from "./refusals";
import { answerSerializer } from "./serializer";
import { setState, STATE, stateOf } from "./state";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Answered without a credential and without an audit record (health, readiness, JWKS). */
    public?: boolean;
    /** Recorded in the audit trail like any request, but answered without a credential (console login). */
    anonymous?: boolean;
  }
}

export interface EdgeOptions {
  /** Largest GraphQL request body in bytes (MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /**
   * Event-loop delay in ms past which requests are answered 503 OVERLOADED with `retry-after`
   * instead of queueing until they time out; 0 turns shedding off. Default 1000.
   */
  maxEventLoopDelayMs?: number;
  /** How often the event-loop delay is sampled, in ms. Default 1000. */
  pressureSampleMs?: number;
  /** Reverse proxies whose X-Forwarded-For is believed (TRUST_PROXY); default none. */
  trustedProxies?: string[];
  /** Check every admin answer against its declared schema, failing with a 500 (tests); default false. */
  checkResponses?: boolean;
  logger: Logger;
  /** Told about every unexpected error (the caller sees a bare 500); default: logged. */
  onError?: (error: unknown, requestId: string) => void;
  audit: AuditRecorder | null;
  /**
   * Runs on every request once it is authenticated (the request's trace span), told whether the
   * caller is a service acting on behalf of a request the gateway sent it; default none.
   */
  tracing?: (request: FastifyRequest, reply: FastifyReply, done: () => void, trustedCaller: boolean) => void;
  authenticate(headers: IncomingHttpHeaders): Promise<AuthenticatedClient>;
  /**
   * Console sessions: a request with the session cookie and no API key or token acts as the
   * user's client, the username its operator; default none (cookies are ignored).
   */
  sessions?: SessionGate;
  /** A trusted service calling back for the request the gateway sent it acts as that request's client. */
  onBehalf(
    client: AuthenticatedClient,
    assertion: string,
    purpose: RequestPurpose,
  ): Promise<{ client: AuthenticatedClient; purpose: RequestPurpose; onBehalf: OnBehalf }>;
}

const isPublic = (request: FastifyRequest) => request.routeOptions.config.public === true;

/** 404, or 405 with `allow` when the path exists under other methods. */
function notFound(app: FastifyInstance) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?")[0];
    const allowed = ["GET", "POST", "DELETE"].filter(
      (method) => method !== request.method && app.findRoute({ method: method, url: path }) !== null,
    );
    if (allowed.length > 0) {
      void reply.header("allow", allowed.join(", "));
      return sendError(
        request,
        reply,
        405,
        "METHOD_NOT_ALLOWED",
        `${request.method} is not allowed on ${path}`,
      );
    }
    const message = path.startsWith("/admin/") ? `no admin endpoint ${request.method} ${path}` : "not found";
    return sendError(request, reply, 404, "NOT_FOUND", message);
  };
}

/**
 * The gateway's HTTP edge on Fastify: every request but the public ones is recorded (its answer
 * held until the record is durable), shed with 503 when the event loop lags, and authenticated
 * before routing (401, or 503 when the credential store is down); errors keep the gateway's
 * shapes and codes. Routes are added by the caller.
 */
export async function createEdge(options: EdgeOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: options.maxBodyBytes,
    // Only the proxies named may say who the client is (X-Forwarded-For); nobody, by default.
    trustProxy: options.trustedProxies && options.trustedProxies.length > 0 ? options.trustedProxies : false,
    genReqId: (req) => requestIdOf(req),
    requestIdHeader: false,
    // A HEAD would be recorded and authenticated like a GET but say nothing: not offered.
    exposeHeadRoutes: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
    // The router's own refusals (a path that does not decode, a segment past maxParamLength) run
    // no hook: they are recorded and shaped here like every other refusal.
    frameworkErrors: (error, request, reply) => {
      if (options.audit) auditResponse(options.audit, request.raw, reply.raw, request.id);
      void reply.header("x-request-id", request.id);
      const tooLong = error.code === "FST_ERR_MAX_PARAM_LENGTH";
      if (tooLong)
        void sendError(request, reply, 414, "URI_TOO_LONG", "a path segment is longer than 512 characters");
      else void sendError(request, reply, 400, "BAD_REQUEST", "malformed path");
    },
    clientErrorHandler: edgeRefusalHandler(options.audit, options.logger),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(answerSerializer(options.checkResponses ?? false));
  app.decorateRequest(STATE, null);
  app.removeContentTypeParser(["application/json", "text/plain"]);
  const json = app.getDefaultJsonParser("error", "error");
  // An empty body is no body (as a client sending `content-type` on a bare POST means it).
  for (const type of ["application/json", /^application\/[\w.-]+\+json$/])
    app.addContentTypeParser(type, { parseAs: "string" }, (request, body: string, done) =>
      body.trim() === "" ? done(null, undefined) : json(request, body, done),
    );
  app.setErrorHandler(
    edgeErrorHandler({
      onError:
        options.onError ??
        ((error, requestId) => options.logger.error({ err: error, requestId }, "request failed")),
      bodyLimitOf: (request) => request.routeOptions.bodyLimit ?? options.maxBodyBytes,
    }),
  );
  app.setNotFoundHandler(notFound(app));

  app.addHook("onRequest", (request, reply, done) => {
    void reply.header("x-request-id", request.id);
    const open = !isPublic(request) && options.audit;
    setState(request, {
      // Every other request is recorded; its response is held until the record is durable.
      scope: open ? auditResponse(options.audit!, request.raw, reply.raw, request.id) : null,
      client: null,
      purpose: purposeOf(request.headers),
    });
    done();
  });
  const lag = options.maxEventLoopDelayMs ?? 1000;
  if (lag > 0)
    await app.register(underPressure, {
      maxEventLoopDelay: lag,
      sampleInterval: options.pressureSampleMs ?? 1000,
      retryAfter: 5,
    });
  app.addHook("onRequest", async (request, reply) => {
    if (isPublic(request) || request.routeOptions.config.anonymous) return;
    const state = stateOf(request);
    try {
      const session = await options.sessions?.authenticate(request, reply);
      if (session) {
        // The person signed in is the operator, whatever x-operator-id says: the purpose, the
        // audit record (read from the headers) and the subgraph assertions all name them.
        request.raw.headers[HEADERS.operator] = session.user.username;
        state.purpose = { ...state.purpose, operatorId: session.user.username };
        state.session = session;
        state.client = session.client;
        if (state.scope) state.scope.client = session.client;
        options.sessions!.checkCsrf(request, session);
        return;
      }
      let client = await options.authenticate(request.headers);
      const assertion = headerValue(request.headers, ON_BEHALF_HEADER);
      if (assertion) {
        let onBehalf: OnBehalf;
        ({
          client,
          purpose: state.purpose,
          onBehalf,
        } = await options.onBehalf(client, assertion, state.purpose));
        state.onBehalf = onBehalf;
      }
      state.client = client;
      if (state.scope) state.scope.client = client;
    } catch (error) {
      if (error instanceof Refusal) return sendError(request, reply, error.status, error.code, error.message);
      if (error instanceof AuthenticationError) {
        void reply.code(401).header("www-authenticate", 'Bearer realm="onecert"');
        return reply.type("application/json; charset=utf-8").send({
          errors: [{ message: error.message, extensions: { code: "UNAUTHENTICATED" } }],
        });
      }
      // The credential store did not answer (a database outage): the caller may try again.
      options.logger.error(
        { err: error, requestId: request.id },
        "authentication failed: the credential store is unavailable",
      );
      void reply.header("retry-after", "5");
      void reply
        .code(503)
        .type("application/json; charset=utf-8")
        .send({
          errors: [
            {
              message: "credentials cannot be checked right now; try again shortly",
              extensions: { code: "AUTHENTICATION_UNAVAILABLE" },
            },
          ],
        });
      return reply;
    }
  });
  // After authentication, so that a verified on-behalf callback can continue its caller's trace.
  const tracing = options.tracing;
  if (tracing)
    app.addHook("onRequest", (request, reply, done) =>
      tracing(request, reply, done, stateOf(request).onBehalf !== undefined),
    );
  return app;
}
