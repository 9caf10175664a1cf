export { USAGE_SCHEMA, usageMigrations } from "./migrations";
export { createUsageRecorder, type UsageRecorder, type UsageRecorderOptions } from "./recorder";
