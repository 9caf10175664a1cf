import { Counter, Gauge, type Registry } from "prom-client";
import type { AuditTrail } from "@onecert/audit";

/**
 * Exports on /metrics onecert_audit_unsigned_records: records chained but not yet covered by a
 * signed tree head, read at each scrape. It stays below about AUDIT_CHECKPOINT_SECONDS of
 * traffic; a value that keeps growing means signing fails (see the log). And
 * onecert_audit_refused_unrecorded_total: requests answered 503 AUDIT_UNAVAILABLE because their
 * record could not be written (each also an error log line).
 */
export function registerAuditMetrics(registry: Registry, trail: AuditTrail): void {
  new Gauge({
    name: "onecert_audit_unsigned_records",
    help: "Audit records not yet covered by a signed tree head (the window a database owner could rewrite unseen).",
    registers: [registry],
    async collect() {
      try {
        const [head, signed] = await Promise.all([trail.store.head(), trail.store.latestTreeHead()]);
        this.set(Math.max(0, head.seq - (signed?.treeSize ?? 0)));
      } catch {
        // The audit database is unreachable: the metrics still answer, without this one's value.
        this.reset();
      }
    },
  });
  new Counter({
    name: "onecert_audit_refused_unrecorded_total",
    help: "Requests refused (503 AUDIT_UNAVAILABLE) because their audit record could not be written.",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(trail.refusedUnrecorded());
    },
  });
}
