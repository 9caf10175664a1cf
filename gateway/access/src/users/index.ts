export { USERS_SCHEMA, userMigrations } from "./migrations";
export { createUserStore, type ConsoleCaller, type UserStore, type UserStoreOptions } from "./store";
export {
  CONSOLE_ROLES,
  USER_STATUSES,
  type ConsoleRole,
  type ConsoleSession,
  type ConsoleUser,
  type LoginFailure,
  type LoginResult,
  type NewConsoleUser,
  type StartedSession,
  type UserStatus,
} from "./model";
export {
  LOCKOUT_MS,
  MAX_DISPLAY_NAME,
  MAX_FAILED_LOGINS,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  SESSION_TOUCH_MS,
  USERNAME,
} from "./rules";
export { generatePassword, hashPassword, needsRehash, verifyPassword, SCRYPT_N } from "./password";
