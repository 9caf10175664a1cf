import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { HEADERS, HOP_ASSERTION_HEADER, HOP_ID_HEADER, type HopClient } from "@onecert/subgraph-kit";
import type { Fetch, FetchInit } from "../cache/inflight";
import type { GatewayContext } from "../context";
import type { HopCaller, HopSigner } from "./sign";

/**
 * Who asks, as a header the data source sets and the signing transport turns into the
 * assertion (and removes): on the headers, it also keys the deduplication of identical calls in
 * flight, so only calls of the same client and purpose are ever sent once for several requests.
 */
export const HOP_CONTEXT_HEADER = "x-onecert-hop-context";

/** The gateway-to-subgraph hop: what is signed, who is trusted with what comes back. */
export interface Hop {
  /** The caller of `context` as the hop-context header's value. */
  callerOf(context: GatewayContext | undefined): string;
  /** A transport to `subgraph` that signs each call over its exact body. */
  signing(subgraph: string, transport: Fetch): Fetch;
  /** Notes what a subgraph's answer tells the gateway: the assertion it logged, what it checked. */
  received(subgraph: string, response: GatewayGraphQLResponse, context: GatewayContext | undefined): void;
}

export interface HopOptions {
  /** Null sends calls unsigned: only for the benchmark that measures what signing costs. */
  signer: HopSigner | null;
  /** Subgraphs whose reports (extensions.certificates) are believed: TRUSTED_SUBGRAPHS. */
  trusted: readonly string[];
}

const clientOf = (context: GatewayContext | undefined): HopClient | null => {
  const client = context?.client;
  return client
    ? { id: client.id, name: client.name, role: client.role, department: client.department }
    : null;
};

export function createHop(options: HopOptions): Hop {
  return {
    callerOf(context) {
      const purpose = context?.purpose;
      return JSON.stringify([
        clientOf(context),
        purpose?.operatorId ?? null,
        purpose?.matterCode ?? null,
        purpose?.caseNumber ?? null,
      ]);
    },
    signing(subgraph, transport) {
      return async (url: string, init?: FetchInit) => {
        const headers = { ...init?.headers };
        const [client, operatorId, matterCode, caseNumber] = JSON.parse(
          headers[HOP_CONTEXT_HEADER] ?? "[null,null,null,null]",
        ) as [HopClient | null, string | null, string | null, string | null];
        delete headers[HOP_CONTEXT_HEADER];
        const caller: HopCaller = {
          requestId: headers[HEADERS.requestId] ?? "",
          client,
          operatorId,
          matterCode,
          caseNumber,
        };
        const body = typeof init?.body === "string" ? init.body : "";
        if (options.signer)
          headers[HOP_ASSERTION_HEADER] = (await options.signer.assert(subgraph, body, caller)).token;
        return transport(url, { ...init, headers });
      };
    },
    received(subgraph, response, context) {
      const trace = context?.trace;
      if (!trace) return;
      const id = response.http?.headers.get(HOP_ID_HEADER);
      if (id) trace.hops.add(`${subgraph}:${id}`);
      if (!options.trusted.includes(subgraph)) return;
      // A trusted subgraph (the certificates service) says which certificate types it checked.
      const checked: unknown = response.extensions?.certificates;
      if (Array.isArray(checked))
        for (const type of checked) if (typeof type === "string") trace.certificates.add(type);
    },
  };
}
