import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { switchedProvider } from "./provider";
import { serviceStamp, tracingState } from "./state";

export interface TracingOptions {
  /** service.name of this process's resource, unless OTEL_SERVICE_NAME names another. */
  serviceName: string;
  /** Where the OTEL_* variables are read (process.env in a served process). */
  env: Record<string, string | undefined>;
  /**
   * Extra span processors, after the exporting one (the benchmark counts spans with one).
   * Default none.
   */
  processors?: SpanProcessor[];
}

export interface Tracing {
  /** Whether spans are recorded and exported; false: the API's no-op tracer, nothing started. */
  readonly enabled: boolean;
  /** Exports every span ended so far (tests and the benchmark read them right after). */
  flush(): Promise<void>;
  /** Exports what is buffered and stops (the last handle of the process does; others only let go). */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, flush: async () => undefined, shutdown: async () => undefined };

/** OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG as the specification reads them; default parent-based always on. */
export function samplerFromEnv(env: TracingOptions["env"]): Sampler {
  const raw = Number(env.OTEL_TRACES_SAMPLER_ARG);
  const ratio = Number.isFinite(raw) && raw >= 0 && raw <= 1 && env.OTEL_TRACES_SAMPLER_ARG ? raw : 1;
  switch ((env.OTEL_TRACES_SAMPLER ?? "parentbased_always_on").trim().toLowerCase()) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratio);
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** The OTLP/HTTP traces URL: the signal-specific variable as it is, else the base one + /v1/traces. */
export function tracesUrl(env: TracingOptions["env"]): string | null {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return specific;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, "")}/v1/traces` : null;
}

/**
 * Starts tracing for this process when an OTLP endpoint is configured; otherwise starts nothing,
 * and every helper of this module costs one flag check. Process-global: a second call (services
 * started in one process) shares the first provider, and its service name is told apart per span
 * (`onecert.service`, see serviceStamp) rather than per resource.
 */
export function startTracing(options: TracingOptions): Tracing {
  const { env } = options;
  const url = tracesUrl(env);
  if (!url || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true" || env.OTEL_TRACES_EXPORTER === "none")
    return OFF;
  const state = tracingState();
  if (!state.provider) {
    // OTLPTraceExporter over HTTP posts JSON: no protobuf on the wire to decode at the receiver.
    const exporter = new OTLPTraceExporter({ url });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME?.trim() || options.serviceName,
      }),
      sampler: samplerFromEnv(env),
      spanProcessors: [serviceStamp, new BatchSpanProcessor(exporter), ...(options.processors ?? [])],
    });
    const manager = new AsyncLocalStorageContextManager().enable();
    // Registered once and kept (a second registration is refused); it follows state.provider.
    if (!state.registered) state.registered = trace.setGlobalTracerProvider(switchedProvider);
    context.setGlobalContextManager(manager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    state.provider = provider;
    state.users = 0;
  }
  state.users += 1;
  let released = false;
  return {
    enabled: true,
    // A tracing backend that is down loses spans; it never fails the service's own work or its stop.
    flush: async () => state.provider?.forceFlush().catch(() => undefined),
    async shutdown() {
      if (released) return;
      released = true;
      state.users -= 1;
      if (state.users > 0 || !state.provider) return;
      const provider = state.provider;
      state.provider = null;
      await provider.shutdown().catch(() => undefined);
      context.disable();
      propagation.disable();
    },
  };
}
