import { proofKeyRoutes } from "./proof-key-routes";
import type { GatewayServices } from "../services";
import { cacheRoutes } from "./cache-routes";
import { catalogueRoutes } from "./catalogue-routes";
import { clientRoutes } from "./client-routes";
import { departmentRoutes } from "./department-routes";
import { grantRoutes } from "./grant-routes";
import { operationRoutes } from "./operations";
import { registryRoutes } from "./registry-routes";
import { usageRoutes } from "./usage-routes";
import { userRoutes } from "./user-routes";
import type { AdminRoute } from "./types";

/** Every admin API endpoint, from each feature's route list. */
export function adminRoutes(services: GatewayServices): AdminRoute[] {
  return [
    ...clientRoutes(services.identity, services.departments),
    ...departmentRoutes(services.departments),
    ...userRoutes(services.users),
    ...grantRoutes(services.grants),
    ...operationRoutes(services.operations),
    ...registryRoutes(services.registry, services.departments),
    ...catalogueRoutes(services.catalogue),
    ...usageRoutes(services.registry, services.usage, services.identity),
    ...cacheRoutes(services.cache),
    ...proofKeyRoutes(services.proofKeys),
  ];
}
