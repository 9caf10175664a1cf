// Tracing of every OneCert service (OpenTelemetry, OTLP/HTTP): the gateway and the subgraphs
// import it from here, so that only the kit depends on the OpenTelemetry packages.
export { samplerFromEnv, startTracing, tracesUrl, type Tracing, type TracingOptions } from "./start";
export { SERVICE_ATTRIBUTE, SERVICE_KEY, tracingEnabled } from "./state";
export {
  currentTraceId,
  extractTraceContext,
  injectTraceContext,
  inRecordedSpan,
  querySpan,
  serveTraced,
  startSpan,
  withSpan,
} from "./spans";
export { SpanKind, SpanStatusCode, type Attributes, type Span } from "@opentelemetry/api";
export type { ReadableSpan, SpanProcessor } from "@opentelemetry/sdk-trace-base";
