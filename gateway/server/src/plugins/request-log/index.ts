import type { ApolloServerPlugin } from "@apollo/server";
import type { GatewayContext } from "../../context";

/** Logs one line per request with its id, operation, outcome and duration. */
export function requestLogPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName }) {
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const codes = (body?.errors ?? []).map((error) => error.extensions?.code);
          contextValue.log.info(
            {
              operationName: operationName ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              errors: codes.length ? codes : undefined,
            },
            "graphql request",
          );
        },
      };
    },
  };
}
