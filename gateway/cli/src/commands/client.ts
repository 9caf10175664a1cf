import { createIdentityStore, MAX_KEY_DAYS, MAX_RATE_LIMIT } from "@onecert/access";
import type { ClientDetails, ClientRecord, ClientSummary, IssuedKey, NewClient, Role } from "@onecert/access";
import { onGatewayDb } from "./direct-db";
import { adminCall, parseFlags, printJson, printTable, reportFailures, when } from "./admin-client";
import { UsageError } from "./options";
import { unknownSubcommand } from "./usage-error";

const SUBCOMMANDS = "create, list, show, revoke, key, revoke-key";

const int = (name: string, raw: string | undefined, max: number): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`--${name} must be an integer from 1 to ${max}, got "${raw}"`);
  }
  return value;
};

function onlyId(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one ${what}`);
  return positionals[0];
}

function printCreated(created: { client: ClientRecord } & IssuedKey, json: boolean): void {
  if (json) return printJson(created);
  const { client } = created;
  process.stdout.write(
    `Created client ${client.name} (${client.id}): role ${client.role}, department ${client.department}.\n` +
      `API key ${created.keyId}, valid until ${when(created.expiresAt)} UTC; shown only now, store it safely:\n` +
      `${created.apiKey}\n`,
  );
}

/** Creates a client straight in the database, for the first admin when no gateway runs. */
const createDirect = (input: NewClient, json: boolean) =>
  onGatewayDb("client create", async (db, departments) => {
    await departments.require(input.department);
    printCreated(await createIdentityStore(db).createClient(input), json);
  });

/** `onecert client create|list|show|revoke|key|revoke-key`: manages calling systems via the admin API. */
export async function clientCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(rest, {
    name: { type: "string" },
    role: { type: "string" },
    department: { type: "string" },
    safelist: { type: "boolean" },
    "rate-limit": { type: "string" },
    "expires-in-days": { type: "string" },
    direct: { type: "boolean" },
    json: { type: "boolean" },
  });
  const json = values.json === true;
  const days = int("expires-in-days", values["expires-in-days"], MAX_KEY_DAYS);
  if (sub === "create") {
    if (!values.name || !values.role || !values.department) {
      throw new UsageError("client create needs --name, --role and --department");
    }
    const input: NewClient = {
      name: values.name,
      role: values.role as Role,
      department: values.department,
      safelist: values.safelist === true,
      rateLimitPerMinute: int("rate-limit", values["rate-limit"], MAX_RATE_LIMIT) ?? null,
      keyExpiresInDays: days,
    };
    if (values.direct) return createDirect(input, json);
    return reportFailures("client", async () => {
      printCreated(await adminCall("POST", "/clients", input), json);
      return 0;
    });
  }
  return reportFailures("client", async () => {
    switch (sub) {
      case "list": {
        const clients = await adminCall<ClientSummary[]>("GET", "/clients");
        if (json) printJson(clients);
        else printTable(clients, CLIENT_COLUMNS);
        return 0;
      }
      case "show": {
        const client = await adminCall<ClientDetails>(
          "GET",
          `/clients/${encodeURIComponent(onlyId(positionals, "client id"))}`,
        );
        if (json) {
          printJson(client);
          return 0;
        }
        const activeKeys = client.keys.filter(
          (key) => !key.revokedAt && new Date(key.expiresAt) > new Date(),
        ).length;
        printTable([{ ...client, activeKeys }], CLIENT_COLUMNS);
        process.stdout.write("\nKeys:\n");
        printTable(client.keys, [
          ["KEY", (key) => key.id],
          ["CREATED", (key) => when(key.createdAt)],
          ["EXPIRES", (key) => when(key.expiresAt)],
          ["REVOKED", (key) => when(key.revokedAt)],
          ["LAST USED", (key) => when(key.lastUsedAt)],
        ]);
        return 0;
      }
      case "revoke": {
        const client = await adminCall<ClientRecord>(
          "POST",
          `/clients/${encodeURIComponent(onlyId(positionals, "client id"))}/revoke`,
        );
        if (json) printJson(client);
        else process.stdout.write(`Revoked client ${client.name} (${client.id}) and all its keys.\n`);
        return 0;
      }
      case "key": {
        const id = onlyId(positionals, "client id");
        const key = await adminCall<IssuedKey>("POST", `/clients/${encodeURIComponent(id)}/keys`, {
          expiresInDays: days,
        });
        if (json) printJson(key);
        else
          process.stdout.write(
            `New API key ${key.keyId} for ${id}, valid until ${when(key.expiresAt)} UTC; shown only now:\n${key.apiKey}\n`,
          );
        return 0;
      }
      case "revoke-key": {
        const key = await adminCall<{ id: string }>(
          "POST",
          `/keys/${encodeURIComponent(onlyId(positionals, "key id"))}/revoke`,
        );
        if (json) printJson(key);
        else process.stdout.write(`Revoked key ${key.id}.\n`);
        return 0;
      }
      default:
        throw unknownSubcommand(sub, SUBCOMMANDS);
    }
  });
}

const CLIENT_COLUMNS: [string, (client: ClientSummary) => string][] = [
  ["ID", (client) => client.id],
  ["NAME", (client) => client.name],
  ["ROLE", (client) => client.role],
  ["DEPARTMENT", (client) => client.department],
  ["SAFELIST", (client) => (client.safelist ? "yes" : "no")],
  [
    "RATE/MIN",
    (client) => (client.rateLimitPerMinute === null ? "default" : String(client.rateLimitPerMinute)),
  ],
  ["CREATED", (client) => when(client.createdAt)],
  ["REVOKED", (client) => when(client.revokedAt)],
  ["KEYS", (client) => String(client.activeKeys)],
];
