import type { ApolloServerPlugin } from "@apollo/server";
import { analyzeSelection } from "@onecert/access";
import type { GatewayContext } from "../../context";
import type { UsageRecorder } from "@onecert/schema-registry";

/** Requests without an authenticated client are counted under this id. */
export const ANONYMOUS_CLIENT = "anonymous";

export interface UsagePluginOptions {
  recorder: Pick<UsageRecorder, "record">;
  /** Field lists of parsed operations kept for reuse. Default 1000. */
  shapeCacheSize?: number;
}

/**
 * Counts, per client and day, every field an operation selects ("Type.field", root fields
 * included), so that the registry can tell which schema changes would break someone. Counted
 * when the response carries data, executed or served from the response cache (which skips
 * execution); a request refused before execution has none and used nothing.
 */
export function usagePlugin(options: UsagePluginOptions): ApolloServerPlugin<GatewayContext> {
  const cache = new Map<string, string[]>();
  const maxEntries = options.shapeCacheSize ?? 1000;
  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate() {
          cache.clear();
        },
      };
    },
    async requestDidStart() {
      return {
        async willSendResponse({ schema, document, operation, queryHash, contextValue, response }) {
          if (!document || !operation || !queryHash) return;
          if (response.body.kind !== "single" || response.body.singleResult.data === undefined) return;
          const key = `${queryHash}:${operation.name?.value ?? ""}`;
          let fields = cache.get(key);
          if (!fields) {
            const selected = analyzeSelection(schema, document, operation).fields;
            fields = [...new Set(selected.map((field) => `${field.typeName}.${field.fieldName}`))];
            if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
            cache.set(key, fields);
          }
          if (fields.length > 0) options.recorder.record(contextValue.client?.id ?? ANONYMOUS_CLIENT, fields);
        },
      };
    },
  };
}
