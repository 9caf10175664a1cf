import type { ApolloServerPlugin } from "@apollo/server";
import type { AuditRecorder } from "@onecert/audit";
import {
  currentTraceId,
  serveTraced,
  startSpan,
  tracingEnabled,
  withSpan,
  type Span,
} from "@onecert/subgraph-kit/tracing";
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import type { GatewayContext } from "../../context";

export interface TracingPluginOptions {
  /** The service the gateway's spans are stamped with (`onecert.service`). Default "onecert-gateway". */
  service?: string;
}

/** The gateway's part in a request's trace: its request span, phases, and the audit commit. */
export interface GatewayTracing {
  /**
   * The request span, as the edge's onRequest hook right after authentication: the GraphQL
   * pipeline, every subgraph call and the audit commit run in it. It continues the caller's
   * `traceparent` only for `trustedCaller` (a service of the deployment calling back on behalf of
   * a request the gateway sent it, its assertion verified); any other caller's trace is linked,
   * not joined, so no caller picks the trace id the audit trail records. Public routes (health,
   * readiness, keys) and requests refused at authentication are not traced.
   */
  onRequest: (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
    trustedCaller: boolean,
  ) => void;
  /**
   * The Apollo plugin: puts the trace id on the request's audit trace (so its record names the
   * trace), and spans the admission checks and the response cache lookup. Goes right before
   * the cache plugin, whose lookup it times.
   */
  plugin: ApolloServerPlugin<GatewayContext>;
  /** `trail` with each record's commit (until durable) in an `onecert.audit.commit` span. */
  recorder(trail: AuditRecorder): AuditRecorder;
}

/**
 * Tracing of the gateway, or null when the process does not trace (startTracing found no OTLP
 * endpoint): then no hook, plugin or wrapper is installed at all, and requests pay nothing.
 * Spans carry no personal data: routes by their template, operations by name, never variables.
 */
export function tracingPlugin(options: TracingPluginOptions = {}): GatewayTracing | null {
  if (!tracingEnabled()) return null;
  const service = options.service ?? "onecert-gateway";
  return {
    onRequest: (request, reply, done, trustedCaller) => {
      if (request.routeOptions.config.public === true) return done();
      serveTraced(service, request.routeOptions.url ?? "unmatched", request.raw, reply.raw, done, {
        continueCaller: trustedCaller,
      });
    },
    plugin: {
      async requestDidStart({ contextValue }) {
        const traceId = currentTraceId();
        if (traceId) contextValue.trace.traceId = traceId;
        // Apollo runs every didResolveOperation hook at once (rate limit, safelist, limits,
        // input validation, access policy): one span from their start to the first hook after.
        let admission: Span | null = null;
        let lookup: Span | null = null;
        const admitted = () => {
          admission?.end();
          admission = null;
        };
        const looked = (hit: boolean) => {
          lookup?.setAttribute("onecert.cache.hit", hit);
          lookup?.end();
          lookup = null;
        };
        return {
          async didResolveOperation({ operationName }) {
            admission = startSpan(
              "onecert.admission",
              operationName ? { "graphql.operation.name": operationName } : {},
            );
          },
          async responseForOperation() {
            admitted();
            lookup = startSpan("onecert.cache.response");
            return null;
          },
          async executionDidStart() {
            admitted();
            looked(false);
          },
          async willSendResponse() {
            // Still open here: refused at admission, or answered from the response cache.
            admitted();
            looked(true);
          },
        };
      },
    },
    recorder: (trail) => ({
      config: trail.config,
      record: (entry) => withSpan("onecert.audit.commit", {}, () => trail.record(entry)),
    }),
  };
}
