import type { Role } from "@onecert/access";
import { z } from "zod";
import { proofKey } from "./models";
import { route, type AdminRoute } from "./types";
import type { PublishedKey, Keyring } from "@onecert/subgraph-kit";

const ADMIN: readonly Role[] = ["admin"];

const describe = (key: PublishedKey, published: ReadonlySet<string>) => ({
  kid: key.kid,
  createdAt: key.createdAt,
  retiredAt: key.retiredAt,
  signedUntil: key.signedUntil,
  status: key.retiredAt === null ? "active" : published.has(key.kid) ? "retired, published" : "retired",
});

/** GET /proof-keys lists the signing keys; POST /proof-keys/rotate makes a new one the active key. */
export function proofKeyRoutes(keys: Keyring): AdminRoute[] {
  return [
    route({
      method: "GET",
      pattern: "/proof-keys",
      roles: ADMIN,
      tag: "proof keys",
      summary: "List the proof signing keys and whether each is still published",
      schema: { response: z.array(proofKey) },
      async handle() {
        const published = new Set((await keys.published()).map((key) => key.kid));
        return { status: 200, body: (await keys.list()).map((key) => describe(key, published)) };
      },
    }),
    route({
      method: "POST",
      pattern: "/proof-keys/rotate",
      roles: ADMIN,
      tag: "proof keys",
      summary: "Make a new key the active proof signing key",
      schema: { response: proofKey },
      async handle() {
        const key = await keys.rotate();
        return { status: 201, body: describe(key, new Set([key.kid])) };
      },
    }),
  ];
}
