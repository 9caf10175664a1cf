import type { ApolloServerPlugin } from "@apollo/server";
import { statusOf } from "@onecert/subgraph-kit";
import type { GatewayContext } from "../../context";

/** The codes that put the fault with the caller, wherever they were raised. Default status map: statusOf. */
const CALLER_CODES = new Set(["BAD_USER_INPUT", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONFLICT"]);

/**
 * Gives a refusal raised inside a subgraph the HTTP status the gateway's own refusals carry:
 * when nothing was answered (no data, or only null root fields) and every error is the caller's
 * (BAD_USER_INPUT, FORBIDDEN, ...), the status is that code's (400 for a mix of them). Partial
 * answers and the subgraphs' own failures stay 200, as GraphQL over HTTP has it.
 */
export function errorStatusPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const { data, errors } = response.body.singleResult;
          if (!errors?.length || (response.http.status ?? 200) !== 200) return;
          if (data && Object.values(data).some((value) => value !== null)) return;
          const codes = new Set(errors.map((error) => error.extensions?.code));
          if (![...codes].every((code) => typeof code === "string" && CALLER_CODES.has(code))) return;
          response.http.status = codes.size === 1 ? statusOf([...codes][0] as string) : 400;
        },
      };
    },
  };
}
