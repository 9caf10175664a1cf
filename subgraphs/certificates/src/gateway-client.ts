import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { HEADERS } from "@onecert/subgraph-kit";

/** Who asks and why: the caller's own credential and purpose, as the gateway received them. */
export interface Caller {
  authorization: string | null;
  /** The `x-api-key` credential, for callers that send their key that way. */
  apiKey?: string | null;
  operatorId: string | null;
  matterCode: string | null;
  caseNumber: string | null;
  requestId: string;
  /** The token the gateway gave this check, sent back on its data request. */
  checkToken?: string | null;
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
 * Posts to the gateway with the caller's headers, so policy, minimum necessary, masking, caching
 * and audit apply to a check's data exactly as to any query. A refusal of the whole request
 * (no data) is thrown with the gateway's own code; partial data comes back with its errors.
 */
export function gatewayClient(url: () => string | undefined, timeoutMs: number): GatewayCall {
  return async (query, variables, caller) => {
    const target = url();
    if (!target) throw unavailable("the gateway URL is not known yet");
    const headers: Record<string, string> = {
      "content-type": "application/json",
      [HEADERS.requestId]: dataRequestId(caller.requestId),
    };
    if (caller.authorization) headers.authorization = caller.authorization;
    if (caller.apiKey) headers[HEADERS.apiKey] = caller.apiKey;
    if (caller.operatorId) headers[HEADERS.operator] = caller.operatorId;
    if (caller.matterCode) headers[HEADERS.matter] = caller.matterCode;
    if (caller.caseNumber) headers[HEADERS.caseNumber] = caller.caseNumber;
    if (caller.checkToken) headers[HEADERS.checkToken] = caller.checkToken;
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
