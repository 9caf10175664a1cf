import type { Logger } from "@onecert/subgraph-kit";
import type { AuthenticatedClient, RequestPurpose } from "./access/types";

/** Per-request state every gateway plugin and data source can read. */
export interface GatewayContext {
  requestId: string;
  log: Logger;
  /** The authenticated calling system; null only where no authentication is required. */
  client: AuthenticatedClient | null;
  purpose: RequestPurpose;
}
