import type { Logger } from "@onecert/subgraph-kit";
import type { AuthenticatedClient, RequestPurpose } from "./access/types";

/** Per-request state every gateway plugin and data source can read. */
export interface GatewayContext {
  requestId: string;
  log: Logger;
  /** The authenticated calling system; null only where no authentication is required. */
  client: AuthenticatedClient | null;
  purpose: RequestPurpose;
  /** What the request touched, filled in as it runs; the audit trail records it. */
  trace: RequestTrace;
}

/** Facts about one request that only show while it runs. */
export interface RequestTrace {
  /** Subgraphs the gateway called. */
  subgraphs: Set<string>;
  /** Cache lookups: entity or response entries served from cache, and those fetched. */
  cacheHits: number;
  cacheMisses: number;
}

/** A fresh trace for a new request. */
export const newTrace = (): RequestTrace => ({ subgraphs: new Set(), cacheHits: 0, cacheMisses: 0 });
