import type { Logger } from "@onecert/subgraph-kit";
import type { AuthenticatedClient, RequestPurpose } from "@onecert/access";
import type { AuditScope, RequestTrace } from "@onecert/audit";

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

export { newTrace, type RequestTrace } from "@onecert/audit";
