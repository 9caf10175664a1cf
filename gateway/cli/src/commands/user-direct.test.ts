import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDepartmentStore, createIdentityStore, createUserStore } from "@onecert/access";
import { openDb } from "@onecert/subgraph-kit";
import { clientCommand } from "./client";
import { userCommand } from "./user";

const saved = { ...process.env };
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
});

async function run(command: (args: string[]) => Promise<number>, args: string[]) {
  let stdout = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const code = await command(args);
  vi.restoreAllMocks();
  return { code, stdout };
}

describe("onecert client|user create --direct", () => {
  it("makes a new deployment's first admin client and console user, who can log in", async () => {
    const dir = mkdtempSync(join(tmpdir(), "onecert-direct-"));
    // The embedded database of a gateway that does not run (nothing answers at ONECERT_URL).
    delete process.env.DATABASE_URL;
    delete process.env.GATEWAY_DATABASE_URL;
    Object.assign(process.env, { GATEWAY_PGLITE_DATA_DIR: dir, ONECERT_URL: "http://127.0.0.1:9" });
    try {
      const client = await run(clientCommand, [
        "create",
        "--direct",
        "--json",
        "--name",
        "ops-admin",
        "--role",
        "admin",
        "--department",
        "data-administration-bureau",
      ]);
      expect(client.code).toBe(0);
      const clientId = (JSON.parse(client.stdout) as { client: { id: string } }).client.id;
      const user = await run(userCommand, [
        "create",
        "wu.gang",
        "--direct",
        "--json",
        "--name",
        "吴刚",
        "--role",
        "admin",
        "--department",
        "data-administration-bureau",
        "--client",
        clientId,
      ]);
      expect(user.code).toBe(0);
      const { password } = JSON.parse(user.stdout) as { password: string };
      const db = openDb({ dataDir: dir });
      try {
        const users = createUserStore(db, {
          identity: createIdentityStore(db),
          departments: createDepartmentStore(db),
        });
        expect(await users.login("wu.gang", password)).toMatchObject({
          ok: true,
          user: { role: "admin", clientId },
        });
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
