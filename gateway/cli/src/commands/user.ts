import {
  createIdentityStore,
  createUserStore,
  generatePassword,
  userMigrations,
  USERS_SCHEMA,
  type ConsoleUser,
  type NewConsoleUser,
} from "@onecert/access";
import { migrate } from "@onecert/subgraph-kit";
import { onGatewayDb } from "./direct-db";
import { adminCall, parseFlags, printJson, printTable, reportFailures, when } from "./admin-client";
import { UsageError } from "./options";
import { unknownSubcommand } from "./usage-error";

const SUBCOMMANDS = "create, list, disable, enable, password";

function onlyUsername(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError("expected exactly one username");
  return positionals[0];
}

/** The whole of `input` (stdin) as the password, without the line end a shell or `echo` adds. */
export async function readPassword(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const password = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  if (password === "") throw new UsageError("--password-stdin read an empty password");
  return password;
}

/** The password given on stdin, or a new strong one to print (the only time it is shown). */
async function passwordOf(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (fromStdin) return { password: await readPassword(), generated: false };
  return { password: generatePassword(), generated: true };
}

const shown = (password: string) =>
  `Password (shown only now; hand it over safely, it cannot be recovered):\n${password}\n`;

/** Creates a console user straight in the database: the first admin's, before any gateway runs. */
const createDirect = (input: Omit<NewConsoleUser, "createdBy">, report: (user: ConsoleUser) => void) =>
  onGatewayDb("user create", async (db, departments) => {
    await migrate(db, USERS_SCHEMA, userMigrations);
    const identity = createIdentityStore(db);
    report(await createUserStore(db, { identity, departments }).create({ ...input, createdBy: "direct" }));
  });

/**
 * `onecert user create|list|disable|enable|password`: the web console's users via the admin API
 * (`create --direct`: straight into the gateway's database, while no gateway runs).
 */
export async function userCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(rest, {
    name: { type: "string" },
    role: { type: "string" },
    department: { type: "string" },
    client: { type: "string" },
    "password-stdin": { type: "boolean" },
    direct: { type: "boolean" },
    json: { type: "boolean" },
  });
  const json = values.json === true;
  const fromStdin = values["password-stdin"] === true;
  return reportFailures("user", async () => {
    switch (sub) {
      case "create": {
        const username = onlyUsername(positionals);
        if (!values.name || !values.role || !values.department || !values.client)
          throw new UsageError("user create needs --name, --role, --department and --client");
        const { password, generated } = await passwordOf(fromStdin);
        const input = {
          username,
          displayName: values.name,
          role: values.role,
          department: values.department,
          clientId: values.client,
          password,
        };
        const report = (user: ConsoleUser) => {
          if (json) printJson(generated ? { user, password } : { user });
          else
            process.stdout.write(
              `Created console user ${user.username} (${user.displayName}): role ${user.role}, ` +
                `department ${user.department}, acting as client ${user.clientId}.\n` +
                (generated ? shown(password) : ""),
            );
        };
        if (values.direct) return createDirect(input as Omit<NewConsoleUser, "createdBy">, report);
        report(await adminCall<ConsoleUser>("POST", "/users", input));
        return 0;
      }
      case "list": {
        const users = await adminCall<ConsoleUser[]>("GET", "/users");
        if (json) printJson(users);
        else printTable(users, COLUMNS);
        return 0;
      }
      case "disable": {
        const username = encodeURIComponent(onlyUsername(positionals));
        const user = await adminCall<ConsoleUser>("POST", `/users/${username}/disable`);
        if (json) printJson(user);
        else process.stdout.write(`Disabled console user ${user.username}; their sessions have ended.\n`);
        return 0;
      }
      case "enable": {
        const username = encodeURIComponent(onlyUsername(positionals));
        const user = await adminCall<ConsoleUser>("POST", `/users/${username}/enable`);
        if (json) printJson(user);
        else process.stdout.write(`Enabled console user ${user.username}; they may log in again.\n`);
        return 0;
      }
      case "password": {
        const username = encodeURIComponent(onlyUsername(positionals));
        const { password, generated } = await passwordOf(fromStdin);
        const user = await adminCall<ConsoleUser>("POST", `/users/${username}/password`, { password });
        if (json) printJson(generated ? { user, password } : { user });
        else
          process.stdout.write(
            `New password set for ${user.username}; the lockout is cleared and their sessions have ended.\n` +
              (generated ? shown(password) : ""),
          );
        return 0;
      }
      default:
        throw unknownSubcommand(sub, SUBCOMMANDS);
    }
  });
}

const COLUMNS: [string, (user: ConsoleUser) => string][] = [
  ["USERNAME", (user) => user.username],
  ["NAME", (user) => user.displayName],
  ["ROLE", (user) => user.role],
  ["DEPARTMENT", (user) => user.department],
  ["CLIENT", (user) => user.clientId],
  ["STATUS", (user) => user.status],
  ["LOCKED UNTIL", (user) => when(user.lockedUntil)],
  ["LAST LOGIN", (user) => when(user.lastLoginAt)],
];
