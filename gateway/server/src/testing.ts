// Test helpers of the gateway (the "./testing" entry): never imported by production code.
export { startAdminTestServer, type AdminTestServer } from "./admin/testing";
