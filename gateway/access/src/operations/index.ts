export { OPERATIONS_SCHEMA, operationMigrations } from "./migrations";
export {
  OperationRegistrationError,
  createOperationStore,
  operationHash,
  type OperationStore,
  type OperationStoreOptions,
  type PersistedOperation,
  type RegisterOperation,
} from "./store";
