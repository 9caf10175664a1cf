export { clientRoutes } from "./client-routes";
export { departmentRoutes } from "./department-routes";
export { grantRoutes } from "./grant-routes";
export {
  route,
  download,
  type AdminDownload,
  type AdminRequest,
  type AdminResponse,
  type AdminRoute,
  type RouteSchema,
} from "./types";
