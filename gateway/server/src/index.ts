// The OneCert gateway: the HTTP edge, the plugins it assembles from validated configuration, and
// the data source all subgraph I/O goes through. It names no particular subgraph.
export { GATEWAY_SETTINGS, loadGatewayConfig, type GatewayConfig, type LimitsConfig } from "./config";
export { CACHE_SETTINGS } from "./cache/config";
export type { SubgraphTls } from "./hop/http-client";
export { createHopSigner, type HopSigner } from "./hop/sign";
export { startGateway, type GatewayDeps, type RunningGateway } from "./server";
export { RegistryDataSource, type RegistryDataSourceOptions } from "./datasource";
export { urlVariable } from "./config";
export { openCacheStore, type Cache } from "./cache";
export { LOGIN_ATTEMPTS_PER_MINUTE } from "./console";
