import {
  ProxyTracerProvider,
  type Tracer,
  type TracerOptions,
  type TracerProvider,
} from "@opentelemetry/api";
import { tracingState } from "./state";

// Without a started provider: the API's own no-op tracer.
const idle = new ProxyTracerProvider();

/**
 * The process's global tracer provider, registered once: every tracer it hands out asks, per
 * span, for the provider startTracing started, else the no-op one. Libraries keep the tracer
 * they got at load time (Apollo's gateway does), so a provider registered directly would keep
 * them on a stopped one after a restart; through this, stop and start again are exact.
 */
export const switchedProvider: TracerProvider = {
  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const current = () => (tracingState().provider ?? idle).getTracer(name, version, options);
    return {
      startSpan: (...args) => current().startSpan(...args),
      // Three overloads of one function: passed on with the arguments given.
      startActiveSpan: ((...args: Parameters<Tracer["startActiveSpan"]>) =>
        current().startActiveSpan(...args)) as Tracer["startActiveSpan"],
    };
  },
};
