// The gateway's HTTP edge: Fastify with the audit hold, authentication before routing, load
// shedding, the admin API's declared routes and their OpenAPI document, and GraphQL.
export { createEdge, type EdgeOptions } from "./app";
export { registerAdminRoutes, type AdminEdgeOptions } from "./admin";
export { registerGraphQL } from "./graphql";
export { registerOpenApi, type OpenApiOptions } from "./openapi";
export { sendError } from "./errors";
export { stateOf, type EdgeState } from "./state";
