import type { ApolloServerPlugin } from "@apollo/server";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { FetchObserver } from "../../datasource";
import type { GatewayContext } from "../../context";

export interface Metrics {
  /** Scraped at /metrics. */
  registry: Registry;
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Hook for the subgraph data sources. */
  observeFetch: FetchObserver;
}

export interface MetricsOptions {
  /** Also export Node process metrics (memory, event loop). Default true. */
  processMetrics?: boolean;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus metrics: requests, errors by code, latency, and per-subgraph fetches. Each gateway
 * gets its own registry so that several gateways in one process do not share counters.
 */
export function metricsPlugin(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "onecert_" });
  const requests = new Counter({
    name: "onecert_requests_total",
    help: "GraphQL requests by outcome (ok, partial, error).",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const errors = new Counter({
    name: "onecert_errors_total",
    help: "GraphQL errors returned, by extensions.code.",
    labelNames: ["code"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "onecert_request_duration_seconds",
    help: "Time from request received to response ready.",
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const fetches = new Histogram({
    name: "onecert_subgraph_fetch_duration_seconds",
    help: "Subgraph fetches by subgraph and outcome.",
    labelNames: ["subgraph", "outcome"],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      const stop = latency.startTimer();
      return {
        async willSendResponse({ response }) {
          stop();
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const found = body?.errors ?? [];
          for (const error of found)
            errors.inc({
              code: typeof error.extensions?.code === "string" ? error.extensions.code : "UNKNOWN",
            });
          requests.inc({ outcome: found.length === 0 ? "ok" : body?.data ? "partial" : "error" });
        },
      };
    },
  };
  return {
    registry,
    plugin,
    observeFetch: (subgraph, seconds, outcome) => fetches.observe({ subgraph, outcome }, seconds),
  };
}
