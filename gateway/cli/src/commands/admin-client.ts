import { readFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { devCredentialsFile, type DevCredentials } from "../dev/credentials";
import { UsageError } from "./options";

/** Where the CLI finds the gateway unless ONECERT_URL says otherwise. */
export const DEFAULT_GATEWAY_URL = "http://127.0.0.1:4000";

/** The gateway did not answer at all (not running, wrong URL). */
export class GatewayUnreachableError extends Error {}

/** The admin API refused the call; `message` is the API's own. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The refusal's structured details (the problems of a catalogue check, say). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The gateway's base URL: env ONECERT_URL (a pasted ".../graphql" URL works too), default :4000. */
export function gatewayUrl(): string {
  return (process.env.ONECERT_URL || DEFAULT_GATEWAY_URL).replace(/\/+$/, "").replace(/\/graphql$/, "");
}

/** Env ONECERT_API_KEY, else the admin key of the dev credentials file; a UsageError when neither. */
export function resolveApiKey(): string {
  if (process.env.ONECERT_API_KEY) return process.env.ONECERT_API_KEY;
  const path = devCredentialsFile();
  try {
    const credentials = JSON.parse(readFileSync(path, "utf8")) as DevCredentials;
    const admin = credentials.clients.find((client) => client.role === "admin");
    if (admin) return admin.apiKey;
  } catch {
    // No usable file: fall through to the explanation below.
  }
  throw new UsageError(
    `no API key: set ONECERT_API_KEY to an admin client's key (no admin key in ${path} either)`,
  );
}

/** The API key; when there is none, a gateway that is not running is the more useful news. */
async function keyFor(base: string): Promise<string> {
  try {
    return resolveApiKey();
  } catch (error) {
    await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) }).catch((failure: unknown) => {
      throw new GatewayUnreachableError(unreachableMessage(base, failure));
    });
    throw error;
  }
}

/** Calls the admin API of the running gateway and returns the `data` of its answer. */
export async function adminCall<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const base = gatewayUrl();
  const headers: Record<string, string> = { authorization: `Bearer ${await keyFor(base)}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`${base}/admin${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new GatewayUnreachableError(unreachableMessage(base, error));
  }
  const text = await response.text();
  let parsed: {
    data?: T;
    error?: { code: string; message: string; details?: unknown };
    errors?: { message: string }[];
  } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new AdminApiError(
      response.status,
      "BAD_RESPONSE",
      `unexpected answer from ${base} (HTTP ${response.status})`,
    );
  }
  if (response.ok) return parsed.data as T;
  const message = parsed.error?.message ?? parsed.errors?.[0]?.message ?? `HTTP ${response.status}`;
  throw new AdminApiError(
    response.status,
    parsed.error?.code ?? "UNAUTHENTICATED",
    message,
    parsed.error?.details,
  );
}

function unreachableMessage(base: string, error: unknown): string {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code ?? "no answer";
  const reason = code === "ECONNREFUSED" ? "connection refused" : code;
  return [
    `The OneCert gateway is not running at ${base} (${reason}).`,
    "Start it with `npx onecert start` (or `npx onecert serve gateway`), or set ONECERT_URL to a running gateway.",
    "To create the first admin client without a gateway: npx onecert client create --direct --name NAME --role admin --department DEPT",
  ].join("\n");
}

/** Runs a CLI action, turning API and connection failures into a message on stderr and exit code 1. */
export async function reportFailures(command: string, action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof GatewayUnreachableError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof AdminApiError) {
      process.stderr.write(`onecert ${command}: ${error.message} (${error.status} ${error.code})\n`);
      // A check's problems, one a line (entry:line:col: reason), so each can be found and fixed.
      const problems = (error.details as { problems?: unknown } | undefined)?.problems;
      if (Array.isArray(problems)) process.stderr.write(problems.map((p) => `  ${String(p)}\n`).join(""));
      return 1;
    }
    throw error;
  }
}

/** node:util parseArgs with every parse failure reported as a UsageError (exit code 2). */
export function parseFlags<T extends ParseArgsConfig["options"]>(
  args: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A short UTC timestamp ("2030-01-31 08:00") of an ISO string or Date, "-" for none. */
export function when(value: unknown): string {
  const iso = value instanceof Date ? value.toISOString() : value;
  return typeof iso === "string" ? iso.slice(0, 16).replace("T", " ") : "-";
}

/** Prints rows as an aligned table with a header line. */
export function printTable<Row>(
  rows: readonly Row[],
  columns: readonly [string, (row: Row) => string][],
): void {
  if (rows.length === 0) {
    process.stdout.write("(none)\n");
    return;
  }
  const cells = rows.map((row) => columns.map(([, cell]) => cell(row)));
  const widths = columns.map(([header], index) =>
    Math.max(header.length, ...cells.map((line) => line[index].length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index]))
      .join("  ")
      .trimEnd();
  process.stdout.write([line(columns.map(([header]) => header)), ...cells.map(line)].join("\n") + "\n");
}

/** Prints `value` as indented JSON. */
export const printJson = (value: unknown): void =>
  void process.stdout.write(JSON.stringify(value, null, 2) + "\n");
