import { Refusal } from "@onecert/subgraph-kit";
import {
  CONSOLE_ROLES,
  MAX_DISPLAY_NAME,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  USER_STATUSES,
  type ConsoleRole,
  type Role,
  type UserStatus,
  type UserStore,
} from "@onecert/access";
import { z } from "zod";
import { object, oneOf, text } from "./fields";
import { route, type AdminRoute } from "./types";

const ADMIN: readonly Role[] = ["admin"];
const tag = "users";
const at = z.iso.datetime({ offset: true });

/** A console user as the admin API answers it; the password hash never leaves the store. */
export const consoleUser = z
  .object({
    username: z.string().meta({ description: "Lowercase; the operator id of every request the user makes" }),
    displayName: z.string(),
    role: z.enum(CONSOLE_ROLES as [ConsoleRole, ...ConsoleRole[]]),
    department: z.string(),
    clientId: z.string().meta({ description: "The API client whose rights the user's sessions have" }),
    status: z.enum(USER_STATUSES as [UserStatus, ...UserStatus[]]),
    createdAt: at,
    createdBy: z.string().meta({ description: "The id of the client that created the user" }),
    failedLogins: z
      .number()
      .int()
      .meta({ description: "Wrong passwords since the last login, reset or lockout" }),
    lockedUntil: at.nullable(),
    disabledAt: at.nullable(),
    lastLoginAt: at.nullable(),
  })
  .meta({ id: "ConsoleUser" });

const password = text(MAX_PASSWORD_LENGTH).meta({
  description: `At least ${MIN_PASSWORD_LENGTH} characters; stored as a scrypt hash, never shown again`,
});

const newUser = object({
  username: text(64),
  displayName: text(MAX_DISPLAY_NAME),
  role: oneOf(CONSOLE_ROLES as [ConsoleRole, ...ConsoleRole[]]),
  department: text(64),
  clientId: text(64),
  password,
});

/** The admin endpoints of the web console's users; all need the admin role. */
export function userRoutes(users: UserStore): AdminRoute[] {
  return [
    route({
      method: "POST",
      pattern: "/users",
      roles: ADMIN,
      tag,
      summary: "Create a console user (USER_EXISTS, UNKNOWN_DEPARTMENT, UNKNOWN_CLIENT)",
      schema: { body: newUser, response: consoleUser },
      async handle({ body, client }) {
        return { status: 201, body: await users.create({ ...body, createdBy: client.id }) };
      },
    }),
    route({
      method: "GET",
      pattern: "/users",
      roles: ADMIN,
      tag,
      summary: "List the console users, by username",
      schema: { response: z.array(consoleUser) },
      handle: async () => ({ status: 200, body: await users.list() }),
    }),
    route({
      method: "POST",
      pattern: "/users/:username/disable",
      roles: ADMIN,
      tag,
      summary: "Disable a console user; their sessions end at once",
      schema: { response: consoleUser },
      async handle({ params }) {
        return { status: 200, body: await users.disable(params.username) };
      },
    }),
    route({
      method: "POST",
      pattern: "/users/:username/enable",
      roles: ADMIN,
      tag,
      summary: "Let a disabled console user log in again",
      schema: { response: consoleUser },
      async handle({ params }) {
        return { status: 200, body: await users.enable(params.username) };
      },
    }),
    route({
      method: "POST",
      pattern: "/users/:username/password",
      roles: ADMIN,
      tag,
      summary: "Set a console user's password; clears the lockout and ends their sessions",
      schema: { body: object({ password }), response: consoleUser },
      async handle({ params, body }) {
        if (!(await users.get(params.username)))
          throw new Refusal("NOT_FOUND", `user ${params.username} not found`);
        return { status: 200, body: await users.setPassword(params.username, body.password) };
      },
    }),
  ];
}
