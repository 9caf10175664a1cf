import type { Logger } from "@onecert/subgraph-kit";
import type { AuthenticatedClient, RequestPurpose } from "@onecert/access";
import type { AuditScope, RequestTrace } from "@onecert/audit";
import type { OnBehalf } from "./hop/on-behalf";

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
  /**
   * Set when a trusted service (the certificates service) makes this request on behalf of the
   * request the gateway sent it: that request was counted and checked against the safelist.
   */
  onBehalf?: OnBehalf;
}

export { newTrace, type RequestTrace } from "@onecert/audit";
