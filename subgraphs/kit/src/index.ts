// The runtime every OneCert service shares: identifiers and scalars, data access, the schema
// builder and server of a subgraph, invalidation events, configuration and crypto helpers.
// Test helpers live behind the "./testing" entry, never here.
export * from "./cache-control";
export * from "./crypto";
export * from "./db";
export * from "./settings";
export * from "./errors";
export * from "./events";
export * from "./headers";
export * from "./hop";
export * from "./http";
export * from "./ids";
export * from "./input";
export * from "./iso-date";
export * from "./logger";
export * from "./paths";
export * from "./periods";
export * from "./redis";
export * from "./registry";
export * from "./scalars";
export * from "./schema";
export * from "./server";
export * from "./settle";
export * from "./share";
export * from "./subjects";
export * from "./supergraph";
export { batchBy, groupBy } from "./loaders";
