import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { LimitsConfig } from "../../config";
import type { GatewayContext } from "../../context";
import { analyze } from "./analyze";

export { analyze, type Analysis, type AnalyzeOptions } from "./analyze";

/** The limits this plugin enforces; the rate limit lives in its own plugin. */
export type QueryLimits = Omit<LimitsConfig, "rateLimitPerMinute">;

type LimitName = keyof Omit<QueryLimits, "defaultListSize">;

const DESCRIBED: Record<LimitName, string> = {
  maxDocumentBytes: "query document size in bytes",
  maxDepth: "query depth",
  maxAliases: "number of aliases",
  maxRootFields: "number of root fields",
  maxCost: "estimated query cost",
};

/** The refusal of an operation over one of the limits: QUERY_TOO_COMPLEX, HTTP 400. */
export function tooComplex(name: LimitName, limit: number, actual: number): GraphQLError {
  return new GraphQLError(`${DESCRIBED[name]} is ${actual}, over the limit of ${limit} (${name})`, {
    extensions: { code: "QUERY_TOO_COMPLEX", limitName: name, limit, actual, http: { status: 400 } },
  });
}

/**
 * Refuses operations too large, deep, wide or expensive before any planning or subgraph call.
 * It runs in didResolveOperation rather than as validation rules: Apollo re-codes validation
 * errors as GRAPHQL_VALIDATION_FAILED, and the cost depends on the variables.
 */
export function limitsPlugin(limits: QueryLimits): ApolloServerPlugin<GatewayContext> {
  const check = (name: LimitName, actual: number): void => {
    if (actual > limits[name]) throw tooComplex(name, limits[name], actual);
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ source, document, operation, schema, request }) {
          check("maxDocumentBytes", Buffer.byteLength(source, "utf8"));
          if (!operation) return;
          const analysis = analyze(document, operation, schema, request.variables ?? {}, {
            defaultListSize: limits.defaultListSize,
          });
          check("maxDepth", analysis.depth);
          check("maxAliases", analysis.aliases);
          check("maxRootFields", analysis.rootFields);
          check("maxCost", analysis.cost);
        },
      };
    },
  };
}
