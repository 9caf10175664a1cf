export { createAdminHandler, type AdminHandler, type AdminHandlerOptions } from "./handler";
export { clientRoutes } from "./client-routes";
export { grantRoutes } from "./grant-routes";
export { parseIsoDate } from "./body";
export { AdminError, type AdminRequest, type AdminResponse, type AdminRoute } from "./types";
