import type { Logger } from "@onecert/subgraph-kit";

/** Per-request state every gateway plugin and data source can read. */
export interface GatewayContext {
  requestId: string;
  log: Logger;
}
