export { accessMigrations, ACCESS_SCHEMA } from "./migrations";
export { createIdentityStore, type IdentityStore, type IdentityStoreOptions } from "./store";
export {
  AuthenticationError,
  createAuthenticator,
  type Authenticator,
  type AuthenticatorOptions,
} from "./authenticator";
export { createJwtVerifier, type JwtVerifier } from "./jwt";
export type { ClientDetails, ClientRecord, ClientSummary, IssuedKey, KeyRecord, NewClient } from "./model";
export { API_KEY_PREFIX } from "./keys";
export { MAX_KEY_DAYS, MAX_RATE_LIMIT, DEFAULT_KEY_DAYS } from "./rules";
export type { AuthConfig } from "./jwt";
