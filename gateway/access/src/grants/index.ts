export {
  createGrantStore,
  type GrantRecord,
  type GrantRequest,
  type GrantStore,
  type GrantStoreOptions,
  type GrantValidators,
} from "./store";
export { GRANT_STATUSES, MAX_GRANT_YEARS, MAX_REASON } from "./rules";
