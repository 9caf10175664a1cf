import type { AuditEntry, AuditRecorder } from "@onecert/audit";
import { newTrace } from "@onecert/audit";
import {
  startTracing,
  tracingEnabled,
  withSpan,
  type ReadableSpan,
  type SpanProcessor,
} from "@onecert/subgraph-kit/tracing";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { GatewayContext } from "../../context";
import { RegistryDataSource } from "../../datasource";
import { tracingPlugin } from ".";

// Tracing is process-global: the "off" cases run first, then one provider is started for the rest.

const URL = "http://population.invalid/graphql";

/** A data source whose transport keeps the headers of every call it is given. */
function capturing() {
  const sent: Record<string, string>[] = [];
  const source = new RegistryDataSource({
    name: "population",
    url: URL,
    fetch: (_url, init) => {
      sent.push({ ...init?.headers });
      return Promise.resolve(
        new Response('{"data":{"ok":true}}', { headers: { "content-type": "application/json" } }),
      );
    },
  });
  const call = () =>
    source.process({
      kind: "health check",
      request: { query: "query Q { ok }", http: { method: "POST", url: URL, headers: new Headers() } },
      context: {},
    } as never);
  return { sent, call };
}

describe("the gateway with tracing off", () => {
  // No request hook either, so a caller's traceparent is neither continued nor passed on.
  it("installs nothing, and its subgraph calls carry no traceparent", async () => {
    expect(startTracing({ serviceName: "onecert-gateway", env: {} }).enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(tracingPlugin()).toBeNull();
    const { sent, call } = capturing();
    await call();
    expect(sent).toHaveLength(1);
    expect(Object.keys(sent[0]).filter((name) => /^trace(parent|state)$/i.test(name))).toEqual([]);
  });
});

describe("the gateway with tracing on", () => {
  it("sends each subgraph call's own span as traceparent, spans the audit commit and names the trace for the record", async () => {
    const ended: ReadableSpan[] = [];
    const keep: SpanProcessor = {
      onStart: () => undefined,
      onEnd: (span) => ended.push(span),
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const sink = createServer((req, res) => req.resume().on("end", () => res.end("{}")));
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    const tracing = startTracing({
      serviceName: "onecert-gateway",
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}` },
      processors: [keep],
    });
    try {
      const tracer = tracingPlugin()!;
      expect(tracer).not.toBeNull();
      const { sent, call } = capturing();
      const context = { trace: newTrace() } as GatewayContext;
      const committed: AuditEntry[] = [];
      const trail = { config: {}, record: async (entry: AuditEntry) => void committed.push(entry) };
      const recorder = tracer.recorder(trail as unknown as AuditRecorder);
      await withSpan("request", {}, async () => {
        await call();
        const plugin = tracer.plugin;
        await plugin.requestDidStart!({ contextValue: context } as never);
        await recorder.record({ requestId: "r-1" } as AuditEntry);
      });
      const byName = (name: string) => ended.find((span) => span.name === name)!;
      const request = byName("request").spanContext();
      const fetch = byName("onecert.subgraph.fetch");
      expect(fetch.attributes).toEqual({ "onecert.subgraph": "population" });
      expect(sent[0].traceparent).toBe(`00-${request.traceId}-${fetch.spanContext().spanId}-01`);
      expect(byName("onecert.audit.commit").parentSpanContext?.spanId).toBe(request.spanId);
      expect(committed).toHaveLength(1);
      expect(context.trace.traceId).toBe(request.traceId);
    } finally {
      await tracing.shutdown();
      sink.close();
    }
  });
});
