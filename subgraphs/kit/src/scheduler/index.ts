// Periodic jobs shared by every replica on one database (the "./scheduler" entry).
export { createScheduler } from "./scheduler";
export { SCHEDULER_SCHEMA, schedulerMigrations } from "./schema";
export type {
  JobContext,
  JobDefinition,
  JobStatus,
  RunOutcome,
  RunResult,
  Scheduler,
  SchedulerOptions,
} from "./types";
