import { formatError as formatRegistryError } from "@onecert/subgraph-kit";
import type { GraphQLFormattedError } from "graphql";

/** Gateway errors carry a code and never the subgraph's raw HTTP response. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const result = formatRegistryError(formatted, error);
  if (!result.extensions?.response) return result;
  const { response: _dropped, ...extensions } = result.extensions;
  return { ...result, extensions };
}
