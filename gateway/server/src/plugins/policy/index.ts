import type { ApolloServerPlugin } from "@apollo/server";
import type { Sensitivity } from "@onecert/subgraph-kit";
import { GraphQLError, isAbstractType } from "graphql";
import type { ShareLevel } from "../../config";
import type { GatewayContext } from "../../context";
import {
  decide,
  grantView,
  maskedSensitivities,
  isMasked,
  unknownMatterFields,
  analyzeSelection,
  buildShareIndex,
  NON_DATA_ROLES,
} from "@onecert/access";
import type {
  GrantSource,
  RequestPurpose,
  MaskingRules,
  Matter,
  MatterCatalogue,
  OperationShape,
  ShareIndex,
} from "@onecert/access";
import { applyMask, buildMaskTree, type MaskTree } from "./mask";

export interface PolicyOptions {
  grants: GrantSource;
  matters: MatterCatalogue;
  masking: MaskingRules;
  /** Level of fields and types that declare none. */
  shareDefault: ShareLevel;
  /** The department that owns a subgraph. */
  departmentOf: (subgraph: string) => string | undefined;
  /** Parsed operations kept for reuse. Default 1000. */
  shapeCacheSize?: number;
  /**
   * Reads the matters again, for a request naming one this replica does not know: it may have
   * been published on another replica a moment ago. Default none (unknown is unknown).
   */
  lookAgain?: () => Promise<void>;
}

export interface Policy {
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Matter fields missing from the current supergraph; the gateway refuses to start with any. */
  problems(): string[];
}

const OPERATOR = /^[A-Za-z0-9._@-]{1,64}$/;
const CASE = /^[\p{L}\p{N}()（）〔〕[\]._/-]{1,64}$/u;

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
}

/** Checks who asks and why; returns the matter or throws a clear BAD_USER_INPUT. */
function requirePurpose(purpose: RequestPurpose, matters: MatterCatalogue): Matter {
  if (!purpose.operatorId)
    throw badInput("x-operator-id header is required for data requests: the clerk's id");
  if (!OPERATOR.test(purpose.operatorId))
    throw badInput("x-operator-id must be 1-64 letters, digits or ._@-");
  if (!purpose.matterCode)
    throw badInput("x-matter-code header is required for data requests: the matter served");
  const matter = matters.get(purpose.matterCode);
  if (!matter) throw badInput(`x-matter-code: unknown matter "${purpose.matterCode.slice(0, 64)}"`);
  if (purpose.caseNumber !== null && !CASE.test(purpose.caseNumber)) {
    throw badInput("x-case-number must be 1-64 letters, digits or ()[]._/-");
  }
  return matter;
}

/**
 * Enforces the sharing rules for every selected field before anything is fetched (so a denial
 * never depends on, or reveals, the data) and masks sensitive values in the response.
 */
export function policyPlugin(options: PolicyOptions): Policy {
  let index: ShareIndex | undefined;
  let problems: string[] = [];
  const shapes = new Map<string, OperationShape>();
  const maxShapes = options.shapeCacheSize ?? 1000;
  const isMaskedSensitivity = (s: Sensitivity) => isMasked(options.masking, s);

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
          if (!coreSupergraphSdl) return;
          index = buildShareIndex(coreSupergraphSdl, options.departmentOf, options.shareDefault);
          problems = unknownMatterFields(options.matters, apiSchema);
          shapes.clear();
        },
      };
    },
    async requestDidStart() {
      let maskTree: MaskTree | undefined;
      return {
        async didResolveOperation({ schema, document, operation, queryHash, contextValue }) {
          if (!operation) return;
          const key = `${queryHash}:${operation.name?.value ?? ""}`;
          let shape = shapes.get(key);
          if (!shape) {
            shape = analyzeSelection(schema, document, operation);
            if (shapes.size >= maxShapes) shapes.delete(shapes.keys().next().value!);
            shapes.set(key, shape);
          }
          if (shape.fields.length === 0) return;
          const client = contextValue.client;
          if (!client) {
            throw new GraphQLError("authentication required", {
              extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
            });
          }
          const code = contextValue.purpose.matterCode;
          if (code && options.lookAgain && !options.matters.get(code)) await options.lookAgain();
          const matter = requirePurpose(contextValue.purpose, options.matters);
          // Roles that read no data are refused field by field below, with that rule.
          const refusal = NON_DATA_ROLES.includes(client.role)
            ? null
            : options.matters.refusal(matter, client);
          if (refusal) {
            throw new GraphQLError(`Access denied. ${refusal}`, {
              extensions: {
                code: "FORBIDDEN",
                denied: [{ path: "", field: "", rule: refusal }],
                http: { status: 403 },
              },
            });
          }
          const grants = grantView(await options.grants.activeGrants(client.id), matter.code);
          const verdicts = new Map<string, Sensitivity | undefined>();
          const denied: { path: string; field: string; rule: string }[] = [];
          for (const selected of shape.fields) {
            const field = `${selected.typeName}.${selected.fieldName}`;
            const share = index?.field(selected.typeName, selected.fieldName);
            const decision = decide({ client, matter, matters: options.matters, grants, share, ...selected });
            if (!decision.allowed) denied.push({ path: selected.path, field, rule: decision.rule });
            else if (!decision.clear) verdicts.set(field, maskedSensitivities(share, isMaskedSensitivity)[0]);
          }
          if (denied.length > 0) {
            const shown = denied.slice(0, 5).map((d) => `${d.path}: ${d.rule}`);
            const more = denied.length > 5 ? ` (and ${denied.length - 5} more)` : "";
            throw new GraphQLError(`Access denied. ${shown.join("; ")}${more}`, {
              extensions: { code: "FORBIDDEN", denied, http: { status: 403 } },
            });
          }
          maskTree = buildMaskTree(
            shape.shape,
            (typeName, fieldName) => verdicts.get(`${typeName}.${fieldName}`),
            (typeName) => {
              const type = schema.getType(typeName);
              return isAbstractType(type)
                ? schema.getPossibleTypes(type).map((object) => object.name)
                : [typeName];
            },
          );
        },
        async willSendResponse({ response }) {
          if (!maskTree || response.body.kind !== "single") return;
          applyMask(response.body.singleResult.data, maskTree, options.masking);
        },
      };
    },
  };
  return { plugin, problems: () => problems };
}
