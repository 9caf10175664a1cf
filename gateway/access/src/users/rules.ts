import { Refusal } from "@onecert/subgraph-kit";
import { CONSOLE_ROLES, type ConsoleRole, type NewConsoleUser } from "./model";

/**
 * Lowercase letters, digits, ".", "_" and "-", 2 to 64 characters, starting with a letter: also a
 * valid x-operator-id, which the username becomes for every request of the user's sessions.
 */
export const USERNAME = /^[a-z][a-z0-9._-]{1,63}$/;
/** Shortest accepted password, in characters. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest accepted password, in characters (bounds the work a login asks of the gateway). */
export const MAX_PASSWORD_LENGTH = 1024;
/** Longest display name, in characters. */
export const MAX_DISPLAY_NAME = 100;

/** Consecutive wrong passwords that lock an account. */
export const MAX_FAILED_LOGINS = 5;
/** How long an account stays locked after MAX_FAILED_LOGINS wrong passwords: 15 minutes. */
export const LOCKOUT_MS = 15 * 60_000;

/** A session unused this long ends: 30 minutes. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** A session ends this long after login however busy it is: 12 hours. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/**
 * How often at most a session's last-seen time is written, so a busy console does not write on
 * every request; an idle session may therefore end up to this much before SESSION_IDLE_MS.
 */
export const SESSION_TOUCH_MS = 60_000;

const badRequest = (message: string) => new Refusal("BAD_REQUEST", message);

export function checkUsername(username: string): void {
  if (!USERNAME.test(username))
    throw badRequest(
      `username must be 2-64 lowercase letters, digits, ".", "_" or "-", starting with a letter`,
    );
}

export function checkPassword(password: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH)
    throw badRequest(`password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
}

export function checkConsoleRole(role: string): asserts role is ConsoleRole {
  if (!(CONSOLE_ROLES as readonly string[]).includes(role))
    throw badRequest(`role must be one of ${CONSOLE_ROLES.join(", ")}`);
}

/** Refuses a user that would not be a usable record; the message names the field. */
export function checkNewUser(input: NewConsoleUser): void {
  checkUsername(input.username);
  if (input.displayName.trim() === "" || [...input.displayName].length > MAX_DISPLAY_NAME)
    throw badRequest(`displayName must be 1 to ${MAX_DISPLAY_NAME} characters`);
  checkConsoleRole(input.role);
  checkPassword(input.password);
}
