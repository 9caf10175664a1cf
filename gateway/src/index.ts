export { loadGatewayConfig, ConfigError, type GatewayConfig } from "./config";
export { startGateway, type RunningGateway } from "./server";
export { startStack, type Stack, type StackOptions } from "./stack";
export { REGISTRIES, registryByName } from "./registries";
export { RegistryDataSource } from "./datasource";
export { composeRegistries, composeSupergraph, supergraphManager } from "./supergraph";
