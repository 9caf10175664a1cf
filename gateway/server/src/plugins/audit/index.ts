import type { ApolloServerPlugin, GraphQLResponse } from "@apollo/server";
import { Kind, visit, type DocumentNode } from "graphql";
import type { GraphQLFacts } from "@onecert/audit";
import { collectResult, collectSubjects, isSubject } from "@onecert/audit";
import type { GatewayContext } from "../../context";

export interface AuditPluginOptions {
  /** Most subject identifiers recorded per request. Default 1000. */
  maxSubjects?: number;
  /** Most field paths recorded per request. Default 500. */
  maxFields?: number;
  /** Parsed documents whose literal identifiers are remembered. Default 1000. */
  documentCacheSize?: number;
}

/** Identifiers written into the query text itself, e.g. person(idNumber: "1101..."). */
function literalSubjects(document: DocumentNode): string[] {
  const found = new Set<string>();
  visit(document, {
    [Kind.STRING]: (node) => {
      if (isSubject(node.value)) found.add(node.value);
    },
  });
  return [...found];
}

/**
 * Tells the request's audit scope what the GraphQL request was: operation name and hash, the
 * subject identifiers in its variables, its query text and its result, the paths returned and
 * the error codes. The result is read in executionDidEnd, after execution and before any
 * willSendResponse hook: the policy plugin masks there, so the audit sees the clear
 * identifiers whatever the plugin order. A response that no execution produced (a plugin
 * answered, e.g. the response cache) is read at the start of willSendResponse: that one is read
 * clear only when this plugin comes before the policy plugin, as plugins/index.ts lists them.
 */
export function auditPlugin(options: AuditPluginOptions = {}): ApolloServerPlugin<GatewayContext> {
  const limits = { maxSubjects: options.maxSubjects ?? 1000, maxFields: options.maxFields ?? 500 };
  const literals = new Map<string, string[]>();
  const maxDocuments = options.documentCacheSize ?? 1000;

  return {
    async requestDidStart({ contextValue, request }) {
      const scope = contextValue.audit;
      if (!scope) return undefined;
      const facts: GraphQLFacts = {
        operationName: request.operationName ?? null,
        operationHash: null,
        subjects: new Set(),
        fields: new Set(),
        errorCodes: [],
      };
      scope.graphql = facts;
      scope.trace = contextValue.trace;
      collectSubjects(request.variables, facts.subjects, limits.maxSubjects);
      let read = false;
      const readResult = (response: { body?: GraphQLResponse["body"] }) => {
        if (read) return;
        read = true;
        const body = response.body;
        const data = body?.kind === "single" ? body.singleResult.data : body?.initialResult.data;
        collectResult(data, facts, limits);
      };
      return {
        async executionDidStart(requestContext) {
          return {
            async executionDidEnd() {
              readResult(requestContext.response);
            },
          };
        },
        async willSendResponse(requestContext) {
          readResult(requestContext.response);
          const { document, queryHash, operationName, response } = requestContext;
          facts.operationName = operationName ?? facts.operationName;
          facts.operationHash = queryHash ?? null;
          if (document && queryHash) {
            let found = literals.get(queryHash);
            if (!found) {
              found = literalSubjects(document);
              if (literals.size >= maxDocuments) literals.delete(literals.keys().next().value!);
              literals.set(queryHash, found);
            }
            for (const subject of found)
              if (facts.subjects.size < limits.maxSubjects) facts.subjects.add(subject);
          }
          const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
          facts.errorCodes = (errors ?? [])
            .map((error) => error.extensions?.code)
            .filter((code): code is string => typeof code === "string");
        },
      };
    },
  };
}
