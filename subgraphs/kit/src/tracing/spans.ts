import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from "@opentelemetry/api";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SERVICE_KEY, tracingEnabled } from "./state";

const tracer = () => trace.getTracer("onecert");

/** The span every helper hands its function when tracing is off: records nothing. */
const NOT_RECORDING = trace.wrapSpanContext({
  traceId: "0".repeat(32),
  spanId: "0".repeat(16),
  traceFlags: 0,
});

/** Whether the work running now belongs to a recorded span (a traced request). */
export function inRecordedSpan(): boolean {
  return tracingEnabled() && trace.getSpan(context.active())?.isRecording() === true;
}

/**
 * Runs `fn` in a child span of the active one, ended when `fn` settles (an error marks it and is
 * rethrown). Off: `fn` runs as it is. Attributes must never carry personal data (ID numbers,
 * names, query variables): spans leave the gateway's trust boundary for a tracing backend.
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!tracingEnabled()) return fn(NOT_RECORDING);
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : "error" });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Starts a child span of the active one that the caller ends, for work between two hooks of a
 * framework rather than inside one function. Off: a span that records nothing.
 */
export function startSpan(name: string, attributes: Attributes = {}): Span {
  return tracingEnabled() ? tracer().startSpan(name, { attributes }) : NOT_RECORDING;
}

/** Longest SQL text kept on a span: enough to recognise the statement, bounded for the exporter. */
const STATEMENT_CHARS = 500;

/**
 * A `db.query` span around one statement, only inside a traced request: background work (the
 * outbox relay's polling, the access log) would otherwise start a trace per poll. The text is
 * the parameterised statement; its parameters are personal data and are never recorded.
 */
export function querySpan<T>(sql: string, fn: () => Promise<T>): Promise<T> {
  if (!inRecordedSpan()) return fn();
  const statement = sql.length > STATEMENT_CHARS ? `${sql.slice(0, STATEMENT_CHARS)}…` : sql;
  return withSpan("db.query", { "db.system": "postgresql", "db.statement": statement }, fn, SpanKind.CLIENT);
}

/** Adds `traceparent` (and `tracestate`) of `from` (default: the active context) to `headers`; off: nothing. */
export function injectTraceContext<H extends Record<string, string>>(headers: H, from?: Context): H {
  if (tracingEnabled()) propagation.inject(from ?? context.active(), headers);
  return headers;
}

/** The remote parent a request's `traceparent` names, on the empty context; none: the empty context. */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return tracingEnabled() ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
}

/** The id of the active trace when it is recorded (so a record can point at it); otherwise undefined. */
export function currentTraceId(): string | undefined {
  if (!tracingEnabled()) return undefined;
  const span = trace.getSpan(context.active());
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}

export interface ServeTracedOptions {
  /**
   * Whether the caller's `traceparent` is continued: its trace id and sampling decision taken.
   * Default true, for services whose callers are the gateway's authenticated hop. A public edge
   * passes false: the request starts a trace of its own that links to the caller's span, so no
   * caller chooses the trace id the audit trail records, or whether the gateway samples.
   */
  continueCaller?: boolean;
}

/**
 * Serves one HTTP request of `service` in a server span, the caller's `traceparent` continued
 * or linked (see ServeTracedOptions): `handle` and everything it starts (the body's stream
 * events included) run in it, and it ends when the response is closed. `route` is the route's
 * template, never the path itself (a path can name a subject). Off: `handle` runs as it is.
 */
export function serveTraced(
  service: string,
  route: string,
  req: IncomingMessage,
  res: ServerResponse,
  handle: () => void,
  options: ServeTracedOptions = {},
): void {
  if (!tracingEnabled()) return handle();
  const caller = extractTraceContext(req.headers);
  const continued = options.continueCaller ?? true;
  const parent = (continued ? caller : ROOT_CONTEXT).setValue(SERVICE_KEY, service);
  const linked = continued ? undefined : trace.getSpanContext(caller);
  const method = req.method ?? "GET";
  const span = tracer().startSpan(
    `${method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: { "http.request.method": method, "http.route": route },
      links: linked && trace.isSpanContextValid(linked) ? [{ context: linked }] : undefined,
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  // The body arrives in events of the connection, not of this call: bound, they run in the span.
  context.bind(active, req);
  context.bind(active, res);
  res.once("close", () => {
    span.setAttribute("http.response.status_code", res.statusCode);
    if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(active, handle);
}
