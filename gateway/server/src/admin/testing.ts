import { createLogger, Refusal, type Db } from "@onecert/subgraph-kit";
import {
  AuthenticationError,
  createGrantStore,
  type GrantStore,
  type GrantValidators,
  createAuthenticator,
  createIdentityStore,
  type IdentityStore,
  type AuthenticatedClient,
} from "@onecert/access";
import type { AddressInfo } from "node:net";
import { createEdge, registerAdminRoutes } from "../edge";
import { clientRoutes } from "./client-routes";
import { grantRoutes } from "./grant-routes";
import type { AdminDownload, AdminRoute } from "./types";

/** Test support: the admin API on a free port, wired as the gateway server wires it. */
export interface AdminTestServer {
  url: string;
  port: number;
  identity: IdentityStore;
  grants: GrantStore;
  stop(): Promise<void>;
}

/** Accepts every field and matter unless told otherwise. */
const OPEN: GrantValidators = { fieldExists: () => true, matterExists: () => true };

/**
 * Serves /admin/* over a migrated `db` on the gateway's edge (answers checked against their
 * schemas), with extra `routes` appended. Default validators accept all.
 */
export async function startAdminTestServer(
  db: Db,
  options: {
    validators?: GrantValidators;
    routes?: (AdminRoute | AdminDownload)[];
    onError?: (error: unknown, requestId: string) => void;
  } = {},
): Promise<AdminTestServer> {
  const identity = createIdentityStore(db);
  const grants = createGrantStore(db, options.validators ?? OPEN);
  const authenticator = createAuthenticator({ store: identity, auth: { audience: "onecert" } });
  const app = await createEdge({
    maxBodyBytes: 1024 * 1024,
    checkResponses: true,
    logger: createLogger("admin-test"),
    onError: options.onError,
    audit: null,
    authenticate: (headers) => authenticator.authenticate(headers),
    onBehalf: () => Promise.reject(new AuthenticationError("no trusted services here")),
  });
  registerAdminRoutes(app, [...clientRoutes(identity), ...grantRoutes(grants), ...(options.routes ?? [])]);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, identity, grants, stop: () => app.close() };
}

/** Calls endpoints as `client` through the edge in memory (no socket); refusals are thrown. */
export interface AdminRouteClient {
  /** The answer's status and `data`; a refusal throws a Refusal with its code, message and details. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function adminRouteClient(
  endpoints: (AdminRoute | AdminDownload)[],
  client: AuthenticatedClient,
): Promise<AdminRouteClient> {
  const app = await createEdge({
    maxBodyBytes: 1024 * 1024,
    checkResponses: true,
    logger: createLogger("admin-test"),
    audit: null,
    authenticate: () => Promise.resolve(client),
    onBehalf: () => Promise.reject(new AuthenticationError("no trusted services here")),
  });
  registerAdminRoutes(app, endpoints);
  await app.ready();
  return {
    async call(method, path, body) {
      const response = await app.inject({
        method: method as "GET",
        url: `/admin${path}`,
        ...(body === undefined
          ? {}
          : { payload: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
      const answer = response.json<{
        data?: unknown;
        error?: { code: string; message: string; details?: unknown };
      }>();
      if (answer.error) throw new Refusal(answer.error.code, answer.error.message, answer.error.details);
      return { status: response.statusCode, body: answer.data };
    },
    close: () => app.close(),
  };
}
