import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { DATA_DIR } from "@onecert/subgraph-kit";
import { cliSettings } from "../settings";
import type { GrantStore, IdentityStore, Role } from "@onecert/access";

/** Where development keys are written. Env DEV_CREDENTIALS_FILE, default .data/dev-credentials.json. */
export const devCredentialsFile = (): string =>
  cliSettings().DEV_CREDENTIALS_FILE ?? resolve(DATA_DIR, "dev-credentials.json");

/** One demo client and its (secret) API key. */
export interface DevClientCredential {
  name: string;
  clientId: string;
  role: Role;
  department: string;
  apiKey: string;
}

/** The content of the dev credentials file. */
export interface DevCredentials {
  createdAt: string;
  clients: DevClientCredential[];
}

/** A grant to approve for a demo client, valid one year. */
export interface DevGrantSpec {
  clientName: string;
  fields: string[];
  matters: string[];
  clearValues: boolean;
  reason: string;
}

export interface EnsureDevCredentialsOptions {
  identity: IdentityStore;
  grants: GrantStore;
  /** The file to read or write; see devCredentialsFile(). */
  path: string;
  grantSpecs: readonly DevGrantSpec[];
  /** The clock; default the system clock. */
  now?: () => Date;
}

/** The demo clients, one per role. */
export const DEMO_CLIENTS: readonly { name: string; role: Role; department: string }[] = [
  { name: "demo-window", role: "window", department: "government-service-center" },
  { name: "demo-department", role: "department", department: "public-security" },
  { name: "demo-auditor", role: "auditor", department: "audit-office" },
  { name: "demo-admin", role: "admin", department: "data-administration-bureau" },
];

async function readIfValid(path: string, identity: IdentityStore): Promise<DevCredentials | null> {
  let existing: DevCredentials;
  try {
    existing = JSON.parse(await readFile(path, "utf8")) as DevCredentials;
  } catch {
    return null;
  }
  if (!Array.isArray(existing?.clients) || existing.clients.length === 0) return null;
  for (const client of existing.clients) {
    if (typeof client?.apiKey !== "string" || !(await identity.verifyApiKey(client.apiKey))) return null;
  }
  return existing;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * Development keys for the four demo clients: returns the file at `path` unchanged while every
 * key in it still authenticates; otherwise (re)creates the clients (existing ones get new keys),
 * approves each of `grantSpecs` not yet active, and writes the file with mode 0600.
 */
export async function ensureDevCredentials(options: EnsureDevCredentialsOptions): Promise<DevCredentials> {
  const { identity, grants, path } = options;
  const now = options.now ?? (() => new Date());
  const existing = await readIfValid(path, identity);
  if (existing) return existing;

  const known = new Map((await identity.listClients()).map((client) => [client.name, client]));
  const clients: DevClientCredential[] = [];
  for (const demo of DEMO_CLIENTS) {
    const found = known.get(demo.name);
    if (found?.revokedAt) {
      throw new Error(
        `demo client "${demo.name}" (${found.id}) is revoked and its name cannot be reused; ` +
          `start over with a fresh gateway database`,
      );
    }
    const issued = found
      ? { client: found, ...(await identity.issueKey(found.id)) }
      : await identity.createClient(demo);
    const { id, role, department } = issued.client;
    clients.push({ name: demo.name, clientId: id, role, department, apiKey: issued.apiKey });
  }

  const admin = clients.find((client) => client.role === "admin") as DevClientCredential;
  const ids = new Map([...known].map(([name, client]) => [name, client.id]));
  for (const client of clients) ids.set(client.name, client.clientId);
  for (const spec of options.grantSpecs) {
    const clientId = ids.get(spec.clientName);
    if (!clientId) throw new Error(`dev grant for unknown client "${spec.clientName}"`);
    const active = await grants.activeGrants(clientId, now());
    const duplicate = active.some(
      (grant) =>
        grant.clearValues === spec.clearValues &&
        sameSet(grant.fields, spec.fields) &&
        sameSet(grant.matters, spec.matters),
    );
    if (duplicate) continue;
    const validUntil = new Date(now());
    validUntil.setUTCFullYear(validUntil.getUTCFullYear() + 1);
    const { fields, matters, clearValues, reason } = spec;
    const requested = await grants.request({
      clientId,
      fields,
      matters,
      clearValues,
      reason,
      validUntil,
      requestedBy: admin.clientId,
    });
    await grants.approve(requested.id, admin.clientId, "development credentials");
  }

  const credentials: DevCredentials = { createdAt: now().toISOString(), clients };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(credentials, null, 2) + "\n", { mode: 0o600 });
  // writeFile's mode only applies to a new file; an older, wider one is narrowed here.
  await chmod(path, 0o600);
  return credentials;
}
