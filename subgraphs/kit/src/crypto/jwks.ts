import type { ServerResponse } from "node:http";
import { sendJson } from "../http";
import type { Keyring } from "./keyring";

/** Where the gateway publishes the proof keys, without authentication. */
export const JWKS_PATH = "/.well-known/jwks.json";
/** Where the gateway publishes the keys it signs its requests to subgraphs with (GATEWAY_JWKS_URL). */
export const GATEWAY_JWKS_PATH = "/.well-known/onecert-gateway-jwks.json";

/**
 * Answers a JWKS request with the keys `keyring` publishes: what a verifier needs to check an
 * artefact (a proof, say) without calling OneCert again. Verifiers may cache it for a minute and
 * refetch on an unknown kid.
 */
export async function serveJwks(keyring: Keyring, res: ServerResponse): Promise<void> {
  const keys = (await keyring.published()).map((key) => key.publicJwk);
  sendJson(res, 200, { keys }, { "cache-control": "public, max-age=60" });
}
