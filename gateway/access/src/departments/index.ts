export { DEPARTMENTS_SCHEMA, departmentMigrations } from "./migrations";
export { createDepartmentStore, type DepartmentStore, type DepartmentStoreOptions } from "./store";
export type { DepartmentRecord, NewDepartment, SeedDepartment } from "./model";
export { SHIPPED_DEPARTMENTS } from "./shipped";
export { MAX_DEPARTMENT_CONTACT, MAX_DEPARTMENT_NAME } from "./rules";
export { closestDepartment, editDistance, unknownDepartment, SUGGESTION_DISTANCE } from "./suggest";
