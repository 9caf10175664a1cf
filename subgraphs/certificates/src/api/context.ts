import type { Logger } from "@onecert/subgraph-kit";
import type { AuthenticatedClient } from "@onecert/access";
import type { Caller } from "../gateway-client";
import type { CertificatesService } from "../service";

/** What every resolver of the certificates subgraph sees. */
export interface CertificatesContext {
  requestId: string;
  log: Logger;
  /** The caller's credential and purpose, forwarded by the gateway. */
  caller: Caller;
  service: CertificatesService;
  /** The calling system behind the forwarded credential, for what is stored on its behalf. */
  authenticate(): Promise<AuthenticatedClient>;
  /** Certificate types this request checked; reported in the response's extensions for the audit trail. */
  checked: Set<string>;
}
