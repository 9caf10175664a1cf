import { migrate, openDb, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { accessMigrations, createIdentityStore } from "@onecert/access";
import { main } from "./main";
import { startAdminTestServer, type AdminTestServer } from "@onecert/gateway/testing";

const BIN = resolve(__dirname, "../../bin/onecert.cjs");
const scratch = mkdtempSync(join(tmpdir(), "onecert-cli-"));
let db: Db & { url?: string };
let server: AdminTestServer;
let adminKey: string;
let closedUrl: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, "access", accessMigrations);
  server = await startAdminTestServer(db);
  adminKey = (await server.identity.createClient({ name: "cli-admin", role: "admin", department: "data" }))
    .apiKey;
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  closedUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  await new Promise((done) => probe.close(done));
});
afterAll(async () => {
  await server.stop();
  await db.close();
});
afterEach(() => {
  process.env = { ...savedEnv };
  vi.restoreAllMocks();
});

/** Runs `onecert ...` in this process against the test server unless `env` says otherwise. */
async function run(args: string[], env: Record<string, string | undefined> = {}) {
  Object.assign(process.env, { ONECERT_URL: server.url, ONECERT_API_KEY: adminKey }, env);
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

/** Runs the real `gateway/cli/bin/onecert.cjs` in a child process. */
function spawnCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("onecert client and grant", () => {
  it("lists clients as JSON through the real binary", async () => {
    const result = await spawnCli(["client", "list", "--json"], {
      ONECERT_URL: server.url,
      ONECERT_API_KEY: adminKey,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { name: string }[]).map((client) => client.name)).toContain(
      "cli-admin",
    );
  });

  it("says the gateway is not running and how to start it when the connection is refused", async () => {
    const result = await spawnCli(["client", "list"], { ONECERT_URL: closedUrl, ONECERT_API_KEY: adminKey });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `The OneCert gateway is not running at ${closedUrl} (connection refused).`,
    );
    expect(result.stderr).toContain("npx onecert start");
  });

  it("creates, shows, re-keys and revokes a client with readable output", async () => {
    const created = await run([
      "client",
      "create",
      "--name",
      "hall-7",
      "--role",
      "window",
      "--department",
      "gov",
    ]);
    expect(created.code).toBe(0);
    const apiKey = /^(oc_key_\S+)$/m.exec(created.stdout)![1];
    const verified = await server.identity.verifyApiKey(apiKey);
    expect(verified?.name).toBe("hall-7");
    const list = await run(["client", "list"]);
    expect(list.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+ROLE\s+DEPARTMENT/);
    expect(list.stdout).toMatch(/hall-7\s+window\s+gov/);
    const key = await run(["client", "key", verified!.id, "--expires-in-days", "7", "--json"]);
    expect(JSON.parse(key.stdout)).toMatchObject({ apiKey: expect.stringMatching(/^oc_key_/) });
    expect((await run(["client", "show", verified!.id])).stdout).toContain("Keys:");
    expect((await run(["client", "revoke", verified!.id])).stdout).toContain("Revoked client hall-7");
    const again = await run(["client", "revoke", verified!.id]);
    expect(again).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("already revoked (409 CONFLICT)"),
    });
  });

  it("requests, lists and decides grants", async () => {
    const { client } = await server.identity.createClient({
      name: "consumer",
      role: "department",
      department: "tax",
    });
    const until = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const request = await run([
      ...["grant", "request", "--client", client.id, "--fields", "Person.realEstate, Person.name"],
      ...["--matters", "rental", "--until", until, "--reason", "rental checks", "--clear", "--json"],
    ]);
    expect(request.code).toBe(0);
    const grant = JSON.parse(request.stdout) as { id: string; fields: string[]; clearValues: boolean };
    expect(grant).toMatchObject({ fields: ["Person.realEstate", "Person.name"], clearValues: true });
    expect((await run(["grant", "approve", grant.id, "--note", "ok"])).stdout).toContain(
      `Approved grant ${grant.id}`,
    );
    const listed = await run(["grant", "list", "--client", client.id, "--status", "APPROVED"]);
    expect(listed.stdout).toMatch(new RegExp(`${grant.id}\\s+consumer\\s+APPROVED`));
    expect((await run(["grant", "revoke", grant.id])).stdout).toContain("REVOKED");
    expect((await run(["grant", "reject", grant.id])).code).toBe(1);
  });

  it("reports usage mistakes with exit code 2", async () => {
    const cases = [
      ["client", "create", "--name", "x"],
      ["client", "frob"],
      ["client", "list", "--bogus"],
      ["client", "create", "--name", "x", "--role", "window", "--department", "d", "--rate-limit", "fast"],
      ["grant", "request", "--client", "cl_x"],
      [
        "grant",
        "request",
        "--client",
        "cl_x",
        "--fields",
        "A.b",
        "--matters",
        "m",
        "--reason",
        "r",
        "--until",
        "soon",
      ],
      ["grant", "list", "--status", "MAYBE"],
      ["grant", "approve"],
    ];
    for (const args of cases) expect((await run(args)).code, args.join(" ")).toBe(2);
    const noKey = await run(["client", "list"], {
      ONECERT_API_KEY: undefined,
      DEV_CREDENTIALS_FILE: "/nope.json",
    });
    expect(noKey).toMatchObject({ code: 2, stderr: expect.stringContaining("no API key") });
    const neither = await run(["client", "list"], {
      ONECERT_URL: closedUrl,
      ONECERT_API_KEY: undefined,
      DEV_CREDENTIALS_FILE: "/nope.json",
    });
    expect(neither).toMatchObject({ code: 1, stderr: expect.stringContaining("not running") });
  });

  it("falls back to the admin key of the dev credentials file", async () => {
    const file = join(scratch, "dev.json");
    writeFileSync(
      file,
      JSON.stringify({ clients: [{ name: "demo-admin", role: "admin", apiKey: adminKey }] }),
    );
    const result = await run(["client", "list", "--json"], {
      ONECERT_API_KEY: undefined,
      DEV_CREDENTIALS_FILE: file,
    });
    expect(result.code).toBe(0);
  });

  it("creates the first admin straight in the database with --direct", async () => {
    const args = [
      "client",
      "create",
      "--direct",
      "--name",
      "first-admin",
      "--role",
      "admin",
      "--department",
      "data-administration-bureau",
    ];
    if (db.url) {
      const result = await run(args, { GATEWAY_DATABASE_URL: db.url, ONECERT_URL: closedUrl });
      expect(result.code).toBe(0);
      expect((await server.identity.listClients()).map((client) => client.name)).toContain("first-admin");
      return;
    }
    const dataDir = join(scratch, "pglite");
    const env = {
      GATEWAY_PGLITE_DATA_DIR: dataDir,
      GATEWAY_DATABASE_URL: undefined,
      DATABASE_URL: undefined,
    };
    const refused = await run(args, env);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining("stop it first") });
    // The department must be in the directory, seeded as the gateway seeds it.
    const typo = await run(
      args.map((arg) => (arg === "data-administration-bureau" ? "data-admin-bureau" : arg)),
      { ...env, ONECERT_URL: closedUrl },
    );
    expect(typo).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("not in the departments directory"),
    });
    const result = await run(args, { ...env, ONECERT_URL: closedUrl });
    expect(result.code).toBe(0);
    const apiKey = /^(oc_key_\S+)$/m.exec(result.stdout)![1];
    const embedded = openDb({ dataDir });
    try {
      expect((await createIdentityStore(embedded).verifyApiKey(apiKey))?.role).toBe("admin");
    } finally {
      await embedded.close();
    }
  });
});
