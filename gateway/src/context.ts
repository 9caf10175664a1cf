import type { Logger } from "@onecert/subgraph-kit";
import type { AuthenticatedClient, RequestPurpose } from "./access/types";
import type { AuditScope } from "./audit/http";

/** Per-request state every gateway plugin and data source can read. */
export interface GatewayContext {
  requestId: string;
  log: Logger;
  /** The authenticated calling system; null only where no authentication is required. */
  client: AuthenticatedClient | null;
  purpose: RequestPurpose;
  /** What the request touched, filled in as it runs; the audit trail records it. */
  trace: RequestTrace;
  /** The request's audit record in the making; the audit plugin adds what the GraphQL request was. */
  audit?: AuditScope;
  /** The caller's credential headers, forwarded only to trusted internal subgraphs (certificates). */
  credentials?: Record<string, string>;
  /** The token of the certificate check this request is the data request of, as it arrived. */
  checkToken?: string;
}

/** Facts about one request that only show while it runs. */
export interface RequestTrace {
  /** Subgraphs the gateway called. */
  subgraphs: Set<string>;
  /** Cache lookups: entity or response entries served from cache, and those fetched. */
  cacheHits: number;
  cacheMisses: number;
  /** Certificate types the request checked (the certificate checks add them), for the audit statistics. */
  certificates: Set<string>;
}

/** A fresh trace for a new request. */
export const newTrace = (): RequestTrace => ({
  subgraphs: new Set(),
  cacheHits: 0,
  cacheMisses: 0,
  certificates: new Set(),
});
