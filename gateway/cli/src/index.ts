// The onecert command line and the development stack: every service in one process over one
// database, the demo credentials and grants, and the README's example query.
export { main } from "./commands/main";
export { startStack, type Stack, type StackOptions } from "./dev/stack";
export { REGISTRIES, SERVICE_SUBGRAPHS, SUBGRAPHS, defaultUrl, registryByName } from "./dev/registries";
export { README_MATTER, README_QUERY, curlExample } from "./dev/examples";
export { devCredentialsFile, ensureDevCredentials, type DevCredentials } from "./dev/credentials";
export { DEV_GRANTS } from "./dev/grants";
export { certificatesConfigFor } from "./dev/certificates-config";
