import type { ApolloServerPlugin } from "@apollo/server";
import type { GatewayConfig } from "../config";
import type { GatewayContext } from "../context";
import { registryByName } from "../registries";
import type { GatewayServices } from "../services";
import { inputValidationPlugin } from "./input-validation";
import { limitsPlugin } from "./limits";
import type { Metrics } from "./metrics";
import { policyPlugin, type Policy } from "./policy";
import { rateLimitPlugin } from "./rate-limit";
import { requestLogPlugin } from "./request-log";
import { safelistPlugin } from "./safelist";

export interface AssembledPlugins {
  plugins: ApolloServerPlugin<GatewayContext>[];
  policy: Policy;
}

/**
 * The gateway's plugins in order. Apollo runs every didResolveOperation hook at once and reports
 * the first refusal, so the rate limit, which refuses without waiting, comes first.
 */
export function assemblePlugins(
  config: GatewayConfig,
  services: GatewayServices,
  metrics: Metrics,
): AssembledPlugins {
  const policy = policyPlugin({
    grants: services.grants,
    matters: services.matters,
    masking: services.masking,
    shareDefault: config.shareDefault,
    departmentOf: (subgraph) => registryByName(subgraph)?.department,
  });
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    requestLogPlugin(),
    metrics.plugin,
    rateLimitPlugin({ counter: services.rateCounter, defaultPerMinute: config.limits.rateLimitPerMinute }),
    safelistPlugin({ operations: services.operations }),
    limitsPlugin(config.limits),
    inputValidationPlugin() as ApolloServerPlugin<GatewayContext>,
    policy.plugin,
  ];
  return { plugins, policy };
}
