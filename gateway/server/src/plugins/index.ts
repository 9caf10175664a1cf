import type { ApolloServerPlugin } from "@apollo/server";
import type { GrantSource, OperationStore } from "@onecert/access";
import type { AuditRecorder } from "@onecert/audit";
import type { Registry, UsageRecorder } from "@onecert/schema-registry";
import type { GatewayConfig } from "../config";
import type { GatewayContext } from "../context";
import type { GatewayServices } from "../services";
import { auditPlugin } from "./audit";
import { cachePlugin } from "./cache";
import { errorStatusPlugin } from "./error-status";
import { inputValidationPlugin } from "./input-validation";
import { limitsPlugin } from "./limits";
import type { Metrics } from "./metrics";
import { policyPlugin, type Policy } from "./policy";
import { rateLimitPlugin } from "./rate-limit";
import { requestLogPlugin } from "./request-log";
import { safelistPlugin } from "./safelist";
import { tracingPlugin, type GatewayTracing } from "./tracing";
import { usagePlugin } from "./usage";

export interface AssembledPlugins {
  plugins: ApolloServerPlugin<GatewayContext>[];
  policy: Policy;
  /** The request span and audit commit span the edge installs; null when the process does not trace. */
  tracing: GatewayTracing | null;
}

/**
 * The part of GatewayServices the plugins work on. The server passes its services whole; the
 * in-memory test gateway (testing/in-memory-gateway.ts) passes in-process stores, so that the
 * plugin tests run the server's own plugins, in the server's order.
 */
export interface PluginServices extends Pick<
  GatewayServices,
  "matters" | "masking" | "rateCounter" | "cache"
> {
  grants: GrantSource;
  operations: Pick<OperationStore, "get">;
  /** The live catalogue's look-again for a matter not known yet; absent in the in-memory test gateway. */
  catalogue?: Pick<GatewayServices["catalogue"], "lookAgain">;
  usage: Pick<UsageRecorder, "record">;
  /** Knows the department that owns each subgraph. */
  registry: Pick<Registry, "departmentOf">;
  /** The audit plugin runs when requests are audited (not in the benchmark's comparison gateway). */
  audit: AuditRecorder | null;
}

/**
 * The gateway's plugins in order. Apollo runs every didResolveOperation hook at once and reports
 * the first refusal, so the rate limit, which refuses without waiting, comes first.
 */
export function assemblePlugins(
  config: Pick<GatewayConfig, "shareDefault" | "limits">,
  services: PluginServices,
  metrics: Metrics,
): AssembledPlugins {
  const policy = policyPlugin({
    grants: services.grants,
    matters: services.matters,
    lookAgain: services.catalogue ? () => services.catalogue!.lookAgain() : undefined,
    masking: services.masking,
    shareDefault: config.shareDefault,
    // The registry knows the owner of every subgraph it serves, a department's new one included;
    // a supergraph file's rules carry their owners in @share(owner:).
    departmentOf: (subgraph) => services.registry.departmentOf(subgraph),
  });
  // A certificate check's own data request: the check was counted, and its operation comes from the catalogue.
  const checkDataRequest = (context: GatewayContext) => context.onBehalf !== undefined;
  const tracing = tracingPlugin();
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    // First: an answer no execution produced (the response cache's) is read at the start of
    // willSendResponse, so only before the policy's hook masks it there; see auditPlugin.
    ...(services.audit ? [auditPlugin()] : []),
    requestLogPlugin(),
    errorStatusPlugin(),
    metrics.plugin,
    rateLimitPlugin({
      counter: services.rateCounter,
      defaultPerMinute: config.limits.rateLimitPerMinute,
      exempt: checkDataRequest,
    }),
    safelistPlugin({ operations: services.operations, exempt: checkDataRequest }),
    limitsPlugin(config.limits),
    inputValidationPlugin(),
    policy.plugin,
    usagePlugin({ recorder: services.usage }),
    // Right before the cache plugin: it closes the admission span and times the cache's lookup.
    ...(tracing ? [tracing.plugin] : []),
    cachePlugin({
      cache: services.cache,
      grants: services.grants,
      masking: services.masking,
      registry: metrics.registry,
    }),
  ];
  return { plugins, policy, tracing };
}
