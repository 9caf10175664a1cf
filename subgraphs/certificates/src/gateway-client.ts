import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { HEADERS, ON_BEHALF_HEADER, type HopClient } from "@onecert/subgraph-kit";
import { injectTraceContext } from "@onecert/subgraph-kit/tracing";

/**
 * Who asks and why. A check serving a request of the gateway acts on its behalf: the gateway's
 * assertion goes back with this service's own credential, and the gateway applies that request's
 * client, purpose and rules. The periodic re-check acts as the client whose key it was given.
 */
export interface Caller {
  /** The gateway's assertion of the request served; null for the periodic re-check. */
  assertion: string | null;
  /** The API key a call without an assertion authenticates with (the re-check's client). */
  apiKey?: string | null;
  /** The calling client as the assertion names it; null for the periodic re-check. */
  client: HopClient | null;
  operatorId: string | null;
  matterCode: string | null;
  caseNumber: string | null;
  requestId: string;
}

export interface GatewayReply {
  data: Record<string, unknown> | null;
  errors: GraphQLFormattedError[];
}

/** Sends one operation through the gateway's pipeline as `caller`. */
export type GatewayCall = (
  query: string,
  variables: Record<string, unknown>,
  caller: Caller,
) => Promise<GatewayReply>;

/** The request id of the data request behind a check: the caller's, marked, so both are audited apart. */
export const dataRequestId = (requestId: string): string => `${requestId.slice(0, 120)}:check`;

/**
 * Posts to the gateway on behalf of the caller, so policy, minimum necessary, masking, caching
 * and audit apply to a check's data exactly as to any query of the caller. A refusal of the whole request
 * (no data) is thrown with the gateway's own code; partial data comes back with its errors.
 */
export function gatewayClient(
  url: () => string | undefined,
  timeoutMs: number,
  /** This service's own credential (a `service` client's API key), for calls on behalf of a request. */
  serviceKey: () => string | undefined,
): GatewayCall {
  return async (query, variables, caller) => {
    const target = url();
    if (!target) throw unavailable("the gateway URL is not known yet");
    const headers: Record<string, string> = {
      "content-type": "application/json",
      [HEADERS.requestId]: dataRequestId(caller.requestId),
    };
    const key = caller.assertion ? serviceKey() : caller.apiKey;
    if (!key) throw unavailable("this service has no credential for the gateway yet");
    headers.authorization = `Bearer ${key}`;
    if (caller.assertion) headers[ON_BEHALF_HEADER] = caller.assertion;
    if (caller.operatorId) headers[HEADERS.operator] = caller.operatorId;
    if (caller.matterCode) headers[HEADERS.matter] = caller.matterCode;
    if (caller.caseNumber) headers[HEADERS.caseNumber] = caller.caseNumber;
    // The data request continues the check's trace: one trace from the caller to the registries.
    injectTraceContext(headers);
    let response: Response;
    try {
      response = await fetch(target, {
        method: "POST",
        headers,
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable";
      throw unavailable(`the gateway is ${reason}`);
    }
    let body: { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw unavailable(`the gateway answered HTTP ${response.status} without JSON`);
    }
    const errors = body.errors ?? [];
    if (!body.data) {
      const first = errors[0];
      const code =
        typeof first?.extensions?.code === "string" ? first.extensions.code : "INTERNAL_SERVER_ERROR";
      throw new GraphQLError(
        `The check's data request was refused: ${first?.message ?? `HTTP ${response.status}`}`,
        {
          extensions: { code, ...(first?.extensions?.denied ? { denied: first.extensions.denied } : {}) },
        },
      );
    }
    return { data: body.data, errors };
  };
}

function unavailable(reason: string): GraphQLError {
  return new GraphQLError(`Certificate checks are unavailable: ${reason}.`, {
    extensions: { code: "CHECK_UNAVAILABLE" },
  });
}
