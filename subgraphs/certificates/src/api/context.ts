import type { HopContext, Logger } from "@onecert/subgraph-kit";
import type { Caller } from "../gateway-client";
import type { CertificatesService } from "../service";

/** What every resolver of the certificates subgraph sees. */
export interface CertificatesContext {
  requestId: string;
  log: Logger;
  /** Who asks and why, as the gateway's verified assertion says; checks act on its behalf. */
  caller: Caller;
  /** The verified assertion itself. */
  hop: HopContext;
  service: CertificatesService;
  /** Certificate types this request checked; reported in the response's extensions for the audit trail. */
  checked: Set<string>;
}
