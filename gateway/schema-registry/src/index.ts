// The department schema registry: the subgraphs departments register, each change checked
// (composition, ownership, matters, the certificate catalogue, breaking changes against field
// usage) and published as a supergraph version; their health; and the supergraph manager the
// gateway serves from (the registry's versions, a composed file, or live introspection).
export { openRegistry, type Registry, type RegistryDeps } from "./open";
export { loadRegistryConfig, REGISTRY_SETTINGS, REGISTRY_DEFAULTS, type RegistryConfig } from "./config";
export { supergraphSubgraphs } from "./bootstrap";
export type { SubgraphHealth } from "./health";
export type { CheckReport } from "./check";
export type { ChangeRequest, PublishResult, SubgraphInput } from "./service";
export { SYSTEM_ACTOR, type Actor, type VersionSummary, type UsageSource } from "./types";
export { REGISTRY_SCHEMA, registryMigrations } from "./migrations";
export { registrySupergraph, registryVersion } from "./store";
export { MAX_SDL_BYTES } from "./rules";
export type { SubgraphDetails, SubgraphView, RegistryViews } from "./views";
export { introspectSubgraph, probeSubgraph, type SubgraphPost, type SubgraphStatus } from "./probe";
export * from "./supergraph";
export * from "./usage";
