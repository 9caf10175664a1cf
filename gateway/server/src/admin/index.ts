export { createAdminHandler, type AdminHandler, type AdminHandlerOptions } from "./handler";
export { clientRoutes } from "./client-routes";
export { grantRoutes } from "./grant-routes";
export { type AdminRequest, type AdminResponse, type AdminRoute } from "./types";
