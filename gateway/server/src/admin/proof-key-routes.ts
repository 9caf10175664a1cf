import type { Role } from "@onecert/access";
import type { AdminRoute } from "./types";
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
    {
      method: "GET",
      pattern: "/proof-keys",
      roles: ADMIN,
      async handle() {
        const published = new Set((await keys.published()).map((key) => key.kid));
        return { status: 200, body: (await keys.list()).map((key) => describe(key, published)) };
      },
    },
    {
      method: "POST",
      pattern: "/proof-keys/rotate",
      roles: ADMIN,
      async handle() {
        const key = await keys.rotate();
        return { status: 201, body: describe(key, new Set([key.kid])) };
      },
    },
  ];
}
