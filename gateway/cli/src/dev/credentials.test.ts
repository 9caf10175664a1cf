import { migrate, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENTS, ensureDevCredentials, type DevGrantSpec } from "./credentials";
import {
  createGrantStore,
  type GrantStore,
  accessMigrations,
  createIdentityStore,
  type IdentityStore,
} from "@onecert/access";

let db: Db;
let identity: IdentityStore;
let grants: GrantStore;
const path = join(mkdtempSync(join(tmpdir(), "onecert-dev-")), "nested", "dev-credentials.json");
const grantSpecs: DevGrantSpec[] = [
  {
    clientName: "demo-window",
    fields: ["Person.realEstate"],
    matters: ["public-rental-housing"],
    clearValues: false,
    reason: "demo",
  },
];

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, "access", accessMigrations);
  identity = createIdentityStore(db);
  grants = createGrantStore(db, { fieldExists: () => true, matterExists: () => true });
});
afterAll(() => db.close());

describe("dev credentials", () => {
  it("creates the four demo clients, approves the grant specs and writes a private file", async () => {
    const credentials = await ensureDevCredentials({ identity, grants, path, grantSpecs });
    expect(credentials.clients.map(({ name, role, department }) => ({ name, role, department }))).toEqual(
      DEMO_CLIENTS,
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(credentials);
    for (const client of credentials.clients) {
      expect((await identity.verifyApiKey(client.apiKey))?.id).toBe(client.clientId);
    }
    const window = credentials.clients[0];
    const active = await grants.activeGrants(window.clientId);
    const admin = credentials.clients.find((client) => client.role === "admin")!;
    expect(active).toMatchObject([
      { fields: ["Person.realEstate"], requestedBy: admin.clientId, decidedBy: admin.clientId },
    ]);
    const year = active[0].validUntil.getTime() - active[0].validFrom.getTime();
    expect(Math.round(year / 86_400_000)).toBeGreaterThanOrEqual(365);
  });

  it("returns the file unchanged while every key still works", async () => {
    const before = readFileSync(path, "utf8");
    const again = await ensureDevCredentials({ identity, grants, path, grantSpecs });
    expect(JSON.stringify(again, null, 2) + "\n").toBe(before);
  });

  it("issues new keys to the existing clients when a key stopped working, without duplicating grants", async () => {
    const before = JSON.parse(readFileSync(path, "utf8")) as {
      clients: { clientId: string; apiKey: string }[];
    };
    const keyId = /^oc_(key_[0-9a-f]+)_/.exec(before.clients[2].apiKey)![1];
    await identity.revokeKey(keyId);
    const after = await ensureDevCredentials({ identity, grants, path, grantSpecs });
    expect(after.clients.map((client) => client.clientId)).toEqual(
      before.clients.map((client) => client.clientId),
    );
    expect(after.clients[0].apiKey).not.toBe(before.clients[0].apiKey);
    expect(await grants.activeGrants(after.clients[0].clientId)).toHaveLength(1);
  });

  it("regenerates over a broken file", async () => {
    writeFileSync(path, "{broken");
    const fresh = await ensureDevCredentials({ identity, grants, path, grantSpecs: [] });
    expect(fresh.clients).toHaveLength(4);
  });
});
