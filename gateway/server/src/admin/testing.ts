import { closeServer, listen, requestIdOf, sendJson, type Db } from "@onecert/subgraph-kit";
import { createServer } from "node:http";
import {
  createGrantStore,
  type GrantStore,
  type GrantValidators,
  AuthenticationError,
  createAuthenticator,
  createIdentityStore,
  type IdentityStore,
} from "@onecert/access";
import { clientRoutes } from "./client-routes";
import { grantRoutes } from "./grant-routes";
import { createAdminHandler, type AdminHandlerOptions } from "./handler";
import type { AdminRoute } from "./types";

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

/** Serves /admin/* over a migrated `db`, with extra `routes` appended. Default validators accept all. */
export async function startAdminTestServer(
  db: Db,
  options: {
    validators?: GrantValidators;
    routes?: AdminRoute[];
    onError?: AdminHandlerOptions["onError"];
  } = {},
): Promise<AdminTestServer> {
  const identity = createIdentityStore(db);
  const grants = createGrantStore(db, options.validators ?? OPEN);
  const authenticator = createAuthenticator({ store: identity, auth: { audience: "onecert" } });
  const handler = createAdminHandler(
    [...clientRoutes(identity), ...grantRoutes(grants), ...(options.routes ?? [])],
    { onError: options.onError },
  );
  const server = createServer((req, res) => {
    const requestId = requestIdOf(req);
    authenticator.authenticate(req.headers).then(
      (client) => handler(req, res, client, requestId),
      (error: unknown) => {
        if (!(error instanceof AuthenticationError)) throw error;
        sendJson(
          res,
          401,
          { errors: [{ message: error.message, extensions: { code: error.code } }] },
          {
            "www-authenticate": "Bearer",
          },
        );
      },
    );
  });
  const address = await listen(server, 0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    identity,
    grants,
    stop: () => closeServer(server),
  };
}
