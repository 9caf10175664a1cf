import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { openDb } from "../db";
import {
  currentTraceId,
  injectTraceContext,
  querySpan,
  samplerFromEnv,
  serveTraced,
  startTracing,
  tracesUrl,
  tracingEnabled,
  withSpan,
} from ".";

// Tracing is process-global: the "off" cases run first, then one provider is started for the rest.

// Got before anything started, as a library gets its tracer when it loads.
const early = trace.getTracer("early");

describe("tracing off (no OTLP endpoint)", () => {
  it("starts nothing: the API's no-op tracer, no context injected, functions run as they are", async () => {
    const tracing = startTracing({ serviceName: "onecert-test", env: { OTEL_SERVICE_NAME: "x" } });
    expect(tracing.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(trace.getTracer("any").startSpan("probe").isRecording()).toBe(false);
    expect(await withSpan("work", {}, async (span) => span.isRecording())).toBe(false);
    expect(injectTraceContext({})).toEqual({});
    expect(currentTraceId()).toBeUndefined();
    await tracing.shutdown();
  });

  it("reads the standard variables", () => {
    expect(tracesUrl({})).toBeNull();
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318/" })).toBe("http://c:4318/v1/traces");
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c/t" })).toBe("http://c/t");
    expect(samplerFromEnv({}).toString()).toContain("AlwaysOn");
    const ratio = samplerFromEnv({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.25" });
    expect(ratio.toString()).toBe("TraceIdRatioBased{0.25}");
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: "always_off" }).toString()).toBe("AlwaysOffSampler");
    expect(
      startTracing({
        serviceName: "s",
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_SDK_DISABLED: "true" },
      }).enabled,
    ).toBe(false);
  });
});

describe("tracing on", () => {
  it("spans nested work, injects its context, continues a server request, and records SQL without parameters", async () => {
    const exporter = new InMemorySpanExporter();
    // The OTLP export goes to a sink that takes everything; the in-memory exporter is what is read.
    const sink = createServer((req, res) => req.resume().on("end", () => res.end("{}")));
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    const tracing = startTracing({
      serviceName: "onecert-test",
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}` },
      processors: [new SimpleSpanProcessor(exporter)],
    });
    expect(tracing.enabled).toBe(true);
    expect(early.startSpan("probe").isRecording()).toBe(true);
    const db = openDb();
    try {
      // Outside any request no SQL span is made (background polling would start a trace each).
      await db.query("SELECT 1");
      expect(exporter.getFinishedSpans()).toHaveLength(0);

      const headers = await withSpan("outer", { purpose: "test" }, async () => {
        await db.query("SELECT $1::text AS secret", ["11010519491231002X"]);
        const carrier: Record<string, string> = {};
        return injectTraceContext(carrier);
      });
      const [sql, outer] = exporter.getFinishedSpans();
      expect(outer.name).toBe("outer");
      expect(sql.name).toBe("db.query");
      expect(sql.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
      expect(sql.attributes).toEqual({
        "db.system": "postgresql",
        "db.statement": "SELECT $1::text AS secret",
      });
      expect(headers.traceparent).toBe(`00-${outer.spanContext().traceId}-${outer.spanContext().spanId}-01`);

      // A server request continues the caller's trace, and its body's events run in the span.
      let seen: string | undefined;
      const server = createServer((req, res) =>
        serveTraced("onecert-demo", "/graphql", req, res, () => {
          req.resume();
          req.on("end", () => {
            seen = currentTraceId();
            void querySpan("SELECT 2", async () => 2).then(() => res.end("ok"));
          });
        }),
      );
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/graphql`, { method: "POST", body: "{}", headers });
      server.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const served = exporter.getFinishedSpans().find((span) => span.name === "POST /graphql")!;
      expect(seen).toBe(outer.spanContext().traceId);
      expect(served.spanContext().traceId).toBe(outer.spanContext().traceId);
      expect(served.attributes).toMatchObject({
        "onecert.service": "onecert-demo",
        "http.response.status_code": 200,
      });
      const second = exporter
        .getFinishedSpans()
        .find((span) => span.attributes["db.statement"] === "SELECT 2")!;
      expect(second.attributes["onecert.service"]).toBe("onecert-demo");
      expect(JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes))).not.toContain(
        "11010519",
      );
    } finally {
      await db.close();
      await tracing.shutdown();
    }
    // Stopped, the tracer a library kept records nothing, and tracing starts again from scratch.
    expect(tracingEnabled()).toBe(false);
    expect(early.startSpan("probe").isRecording()).toBe(false);
    expect(trace.getSpan(context.active())).toBeUndefined();
    const again = startTracing({
      serviceName: "onecert-test",
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}` },
    });
    expect(early.startSpan("probe").isRecording()).toBe(true);
    expect(await withSpan("again", {}, async () => currentTraceId())).toMatch(/^[0-9a-f]{32}$/);
    await again.shutdown();
    sink.close();
  });
});
