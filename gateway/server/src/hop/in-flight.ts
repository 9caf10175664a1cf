import { HEADERS, headerValue } from "@onecert/subgraph-kit";
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/**
 * The header a check's token travels in: from the gateway to a trusted subgraph (never the
 * caller) and back on the data request that subgraph makes for it.
 */
export const CHECK_TOKEN_HEADER = HEADERS.checkToken;

/** The check token of an incoming request, if it carries one. */
export function checkTokenOf(headers: IncomingHttpHeaders): string | undefined {
  return headerValue(headers, CHECK_TOKEN_HEADER) ?? undefined;
}

/**
 * The certificate checks this gateway process is forwarding to the certificates service right
 * now. A check's data request comes back as the caller and would otherwise count twice against
 * the caller's rate limit and need a safelist entry of its own. It is recognised by a random
 * token the gateway gave the check (which the caller never sees) and by its client, and only
 * while the check is in flight here; through another replica it counts as any request.
 */
export class ChecksInFlight {
  private readonly open = new Map<string, string>();

  /** Opens a check of `clientId`: its token, and the function to call when its call ends. */
  begin(clientId: string): { token: string; done(): void } {
    const token = randomBytes(18).toString("base64url");
    this.open.set(token, clientId);
    return { token, done: () => void this.open.delete(token) };
  }

  /** Whether a request carrying `token` is the data request of a check in flight here for `clientId`. */
  isDataRequest(token: string | undefined, clientId: string | undefined): boolean {
    return token !== undefined && clientId !== undefined && this.open.get(token) === clientId;
  }
}
