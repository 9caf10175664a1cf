import { createContextKey, type Context } from "@opentelemetry/api";
import type { BasicTracerProvider, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";

interface TracingState {
  provider: BasicTracerProvider | null;
  users: number;
  /** Whether the switched provider is the API's global one (it stays, across stop and start). */
  registered: boolean;
}

// On globalThis, like the OpenTelemetry API's own registry: the kit may be loaded twice in one
// process (its sources and its build), and both copies must see the one provider.
const STATE = Symbol.for("onecert.tracing");
type WithState = typeof globalThis & { [STATE]?: TracingState };

export function tracingState(): TracingState {
  const holder = globalThis as WithState;
  return (holder[STATE] ??= { provider: null, users: 0, registered: false });
}

/** Whether spans are recorded in this process (startTracing started a provider). */
export const tracingEnabled = (): boolean => tracingState().provider !== null;

/** The span attribute naming the OneCert service a span was made in. */
export const SERVICE_ATTRIBUTE = "onecert.service";

/** The context value naming the service whose work runs in it, set where a service takes a request. */
export const SERVICE_KEY = createContextKey("onecert.service");

/**
 * Stamps every span with the service whose request it belongs to. Services sharing a process
 * (`onecert start`, the tests) share one provider and one resource, so the resource's
 * service.name cannot tell them apart; the span attribute does, in every process alike.
 */
export const serviceStamp: SpanProcessor = {
  onStart(span: Span, parent: Context) {
    const service = parent.getValue(SERVICE_KEY);
    if (typeof service === "string") span.setAttribute(SERVICE_ATTRIBUTE, service);
  },
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
