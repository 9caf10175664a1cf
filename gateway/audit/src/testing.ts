import { randomUUID } from "node:crypto";
import type { AuditEntry } from "./record";

// Test support: entries for the audit unit and end-to-end tests.

/** A synthetic audit entry: what a window's data request leaves, numbered for tests. */
export function sampleEntry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    requestId: `req-${n}`,
    replica: "test",
    kind: "graphql",
    method: "POST",
    path: "/graphql",
    clientId: "cl_test",
    clientName: "test-window",
    role: "window",
    department: "government-service-center",
    credentialId: "key_test",
    operatorId: `clerk-${n % 3}`,
    matterCode: "public-rental-housing",
    caseNumber: null,
    subjects: ["11010519491231002X"],
    operationName: "Citizen",
    operationHash: "0".repeat(64),
    fields: ["person.name"],
    subgraphs: ["population"],
    certificates: [],
    hops: ["population:test-hop"],
    sent: [],
    traceId: null,
    cacheHits: 0,
    cacheMisses: 1,
    outcome: "ok",
    errorCode: null,
    status: 200,
    latencyUs: 1000 + n,
    responseDigest: `sha256:${"1".repeat(64)}`,
    ...overrides,
  };
}

// The writer thread and its supervisor, for tests that kill and restart it.
export { superviseWriter } from "./write/supervise";
export { startAuditWriter, type AuditWriter, type ThreadWriter, type WriterInit } from "./write/writer";
