import { sendJson } from "@onecert/subgraph-kit";
import type { ServerResponse } from "node:http";
import type { ProofKeyStore } from "./keys";

/** Where the gateway publishes the proof keys, without authentication. */
export const JWKS_PATH = "/.well-known/jwks.json";

/**
 * Answers GET /.well-known/jwks.json: the public keys any department needs to verify a proof
 * without calling OneCert again. Verifiers may cache it for a minute and refetch on an unknown kid.
 */
export async function serveJwks(store: ProofKeyStore, res: ServerResponse): Promise<void> {
  const keys = (await store.published()).map((key) => key.publicJwk);
  sendJson(res, 200, { keys }, { "cache-control": "public, max-age=60" });
}
