import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { OperationStore } from "@onecert/access";
import type { GatewayContext } from "../../context";

export { APQ_PREFIX, persistedQueryCache } from "./apq";

export interface SafelistOptions {
  /** Where registered operations are looked up. */
  operations: Pick<OperationStore, "get">;
  /** Requests let through unlisted, e.g. a certificate check's own data request (from the catalogue). Default none. */
  exempt?: (context: GatewayContext) => boolean;
}

/** The refusal of an operation off the client's safelist: PERSISTED_QUERY_NOT_FOUND, HTTP 400. */
export function notOnSafelist(hash: string): GraphQLError {
  return new GraphQLError(`operation ${hash} is not a registered operation of this client`, {
    extensions: { code: "PERSISTED_QUERY_NOT_FOUND", hash, http: { status: 400 } },
  });
}

/**
 * Lets a client marked `safelist` run only operations registered for it or for any client,
 * whether it sends the full query or only its APQ hash; other clients are not affected. The
 * check runs in didResolveOperation, the earliest hook where Apollo turns a thrown error into
 * a clean response (before it, the same throw becomes a 500). A failing lookup fails closed.
 */
export function safelistPlugin({ operations, exempt }: SafelistOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const client = contextValue.client;
      if (!client?.safelist || exempt?.(contextValue)) return undefined;
      return {
        async didResolveOperation({ queryHash }) {
          const registered = await operations.get(queryHash);
          if (registered && (registered.clientId === null || registered.clientId === client.id)) return;
          throw notOnSafelist(queryHash);
        },
      };
    },
  };
}
