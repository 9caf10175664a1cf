// Test helpers of the gateway (the "./testing" entry): never imported by production code.
export { startAdminTestServer, type AdminTestServer } from "./admin/testing";
export {
  startInMemoryGateway,
  type InMemoryGateway,
  type InMemoryGatewayOptions,
  type SubgraphCall,
  type TestReply,
  type TestRequest,
} from "./testing/in-memory-gateway";
export {
  OTHER_MATTER,
  TEST_MATTER,
  TestGrants,
  testClient,
  testMatter,
  testMatters,
  WINDOW,
} from "./testing/access";
export {
  ENTERPRISE,
  PERSON_A,
  PERSON_B,
  REGISTRY_DEPARTMENTS,
  type RegistryData,
} from "./testing/registries";
