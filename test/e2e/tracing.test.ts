import { startTracing, type Tracing } from "@onecert/subgraph-kit/tracing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateWindow, type CertificateWindow } from "../support/certificates";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../support/otlp";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * Tracing on, exporting OTLP/HTTP to a receiver of the test's own: one certificate check is one
 * trace from the gateway through the certificates service and its call back to the gateway to
 * every registry it reads and their SQL, and the audit records of the request name that trace.
 * Services of this in-process stack share one provider, so spans name theirs in `onecert.service`.
 */

const MATTER = "public-rental-housing";
const TYPES = ["household-registration", "no-housing", "contribution-months"];
const CHECK = `query($subject: SubjectInput!, $types: [ID!]!) {
  checkCertificates(subject: $subject, types: $types) { certificate { id registries } status }
}`;

let receiver: OtlpReceiver;
let tracing: Tracing;
let t: TestStack;
let window: CertificateWindow;
let auditorKey: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Process-global, so started before the stack, whose servers then trace.
  tracing = startTracing({
    serviceName: "onecert-e2e",
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_TRACES_SAMPLER: "always_on" },
  });
  t = await startTestStack();
  window = await certificateWindow(t, "tracing-window");
  const auditor = await t.stack.gateway.access.identity.createClient({
    name: "tracing-auditor",
    role: "auditor",
    department: "audit-office",
  });
  auditorKey = auditor.apiKey;
});
afterAll(async () => {
  await t?.stop();
  await tracing?.shutdown();
  await receiver?.close();
});

const service = (span: ReceivedSpan) => span.attributes["onecert.service"];

/** The spans of `traceId` once the gateway's request span (ended after the answer) has arrived. */
async function spansOf(traceId: string, requestSpans: number): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await tracing.flush();
    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    const requests = spans.filter(
      (span) => span.name === "POST /graphql" && service(span) === "onecert-gateway",
    );
    if (requests.length >= requestSpans || Date.now() > deadline) return spans;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("tracing across every hop", () => {
  it("makes one certificate check one trace, covering each service and registry read, named by its audit records", async () => {
    const requestId = `tracing-e2e-${Date.now()}`;
    const response = await fetch(t.stack.gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": requestId, ...window.headers(MATTER) },
      body: JSON.stringify({
        query: CHECK,
        variables: { subject: { idNumber: t.sample("person-no-home-12-months") }, types: TYPES },
      }),
    });
    const reply = (await response.json()) as {
      data?: { checkCertificates: { certificate: { registries: string[] }; status: string }[] };
      errors?: unknown[];
    };
    expect(reply.errors, JSON.stringify(reply.errors)).toBeUndefined();
    const registries = new Set(reply.data!.checkCertificates.flatMap((v) => v.certificate.registries));
    expect(registries.size).toBeGreaterThanOrEqual(3);

    // The caller's request and the check's data request each have a record; both name the trace.
    const records = await fetch(
      `${t.stack.gateway.url.replace(/\/graphql$/, "")}/admin/audit/records?client=tracing-window&limit=20`,
      { headers: { authorization: `Bearer ${auditorKey}` } },
    );
    expect(records.status).toBe(200);
    const page = (
      (await records.json()) as { data: { records: { requestId: string; traceId: string | null }[] } }
    ).data;
    const outer = page.records.find((record) => record.requestId === requestId);
    const inner = page.records.find((record) => record.requestId === `${requestId}:check`);
    expect(outer?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(inner?.traceId).toBe(outer!.traceId);

    const spans = await spansOf(outer!.traceId!, 2);
    expect(receiver.rejected).toEqual([]);
    const services = new Set(spans.map(service));
    expect(services).toContain("onecert-gateway");
    expect(services).toContain("onecert-certificates");
    for (const registry of registries) {
      const own = spans.filter((span) => service(span) === `onecert-${registry}`);
      expect(
        own.map((span) => span.name),
        registry,
      ).toContain("POST /graphql");
      const sql = own.filter((span) => span.name === "db.query");
      expect(sql.length, `${registry} SQL spans`).toBeGreaterThan(0);
      for (const query of sql) expect(query.attributes["db.system"]).toBe("postgresql");
    }
    const names = new Set(spans.map((span) => span.name));
    for (const name of [
      "onecert.admission",
      "onecert.subgraph.fetch",
      "onecert.audit.commit",
      "gateway.plan",
    ])
      expect(names, name).toContain(name);
    // Every span but the trace's root has its parent in the trace: nothing started a trace of its own.
    const ids = new Set(spans.map((span) => span.spanId));
    expect(spans.filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId))).toHaveLength(1);

    // No personal data in any attribute: neither the subject's ID number nor the query's variables.
    const text = JSON.stringify(spans);
    expect(text).not.toContain(t.sample("person-no-home-12-months"));
    expect(text).not.toContain("clerk-042");
  });

  it("links a caller's traceparent without joining its trace: the gateway's trace id is its own", async () => {
    const callerTrace = "4bf92f3577b34da6a61b7a9e1c2d3e4f";
    const response = await fetch(t.stack.gateway.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        // Sampled off by the caller: the gateway's own sampler decides all the same.
        traceparent: `00-${callerTrace}-00f067aa0ba902b7-00`,
        "x-request-id": "traced-caller",
        ...window.headers(MATTER),
      },
      body: JSON.stringify({ query: "{ certificateTypes { id } }" }),
    });
    expect(response.status).toBe(200);
    let root: ReceivedSpan | undefined;
    for (const deadline = Date.now() + 10_000; !root && Date.now() < deadline;) {
      await tracing.flush();
      root = receiver.spans.find((span) => span.links.some((link) => link.traceId === callerTrace));
    }
    expect(root).toMatchObject({ name: "POST /graphql", parentSpanId: null });
    expect(root!.links).toEqual([{ traceId: callerTrace, spanId: "00f067aa0ba902b7" }]);
    expect(root!.traceId).not.toBe(callerTrace);
    expect(receiver.spans.filter((span) => span.traceId === callerTrace)).toEqual([]);
    const spans = await spansOf(root!.traceId, 1);
    expect(spans.map(service)).toContain("onecert-certificates");
  });
});
