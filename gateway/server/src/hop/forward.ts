import { HEADERS, headerValue } from "@onecert/subgraph-kit";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { IncomingHttpHeaders } from "node:http";
import type { GatewayContext } from "../context";

/**
 * Whether the gateway may send the caller's credential to this subgraph: it is named in
 * TRUSTED_SUBGRAPHS, and its URL is one the operator configured (SUBGRAPH_URL_<NAME>) or a
 * loopback address, so a subgraph registered under that name elsewhere never receives them.
 */
export function isTrustedSubgraph(
  name: string,
  url: string,
  config: { trustedSubgraphs: readonly string[]; subgraphUrls: Record<string, string> },
): boolean {
  if (!config.trustedSubgraphs.includes(name)) return false;
  if (config.subgraphUrls[name] === url) return true;
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

/** The credential headers a trusted internal subgraph needs to act as the caller. */
const CREDENTIAL_HEADERS = ["authorization", HEADERS.apiKey] as const;

/** The caller's credential as it arrived; kept in the request context, sent only to trusted subgraphs. */
export function credentialsOf(headers: IncomingHttpHeaders): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of CREDENTIAL_HEADERS) {
    const text = headerValue(headers, name);
    if (text) found[name] = text;
  }
  return found;
}

/**
 * What the gateway forwards to a trusted internal subgraph (a check service): the
 * caller's credential and stated purpose, so its own request back through the gateway is the
 * caller's. Registries never receive them.
 */
export function callerHeadersOf(context: GatewayContext): Record<string, string> {
  const headers: Record<string, string> = { ...context.credentials };
  const { operatorId, matterCode, caseNumber } = context.purpose;
  if (operatorId) headers[HEADERS.operator] = operatorId;
  if (matterCode) headers[HEADERS.matter] = matterCode;
  if (caseNumber) headers[HEADERS.caseNumber] = caseNumber;
  return headers;
}

/** Adds the certificate types a certificates-subgraph answer reports (extensions.certificates) to the trace. */
export function noteCertificates(
  response: GatewayGraphQLResponse,
  context: GatewayContext | undefined,
): void {
  const checked: unknown = response.extensions?.certificates;
  if (!context?.trace || !Array.isArray(checked)) return;
  for (const id of checked) if (typeof id === "string") context.trace.certificates.add(id);
}
