import { Refusal } from "@onecert/subgraph-kit";
import type { Db, Queryable } from "@onecert/subgraph-kit";
import type { AuthenticatedClient } from "../types";
import { DAY_MS, newId } from "./ids";
import { CLIENT_COLUMNS, KEY_COLUMNS } from "./columns";
import { generateApiKey } from "./keys";
import * as rules from "./rules";
import { TtlCache } from "./ttl-cache";
import { createKeyVerifier } from "./verify";
import type { ClientDetails, ClientRecord, ClientSummary, IssuedKey, KeyRecord, NewClient } from "./model";

export interface IdentityStoreOptions {
  /** The clock; default the system clock. */
  now?: () => Date;
  /**
   * How long a verified key or a looked-up client is served from memory, in ms; default 5000.
   * A revocation made through another gateway replica (or the database) takes effect within it.
   */
  cacheTtlMs?: number;
}

export interface IdentityStore {
  createClient(input: NewClient): Promise<{ client: ClientRecord } & IssuedKey>;
  listClients(): Promise<ClientSummary[]>;
  /** The client with all its keys; null when unknown. */
  getClient(id: string): Promise<ClientDetails | null>;
  /** As getClient without keys, served from the cache (revoked clients included). */
  cachedClient(id: string): Promise<ClientRecord | null>;
  /** Revokes the client and every key it still has. */
  revokeClient(id: string): Promise<ClientRecord>;
  issueKey(clientId: string, expiresInDays?: number): Promise<IssuedKey>;
  revokeKey(keyId: string): Promise<KeyRecord>;
  /** The client behind an `oc_...` key; null for unknown, expired, revoked or malformed keys. */
  verifyApiKey(presented: string): Promise<AuthenticatedClient | null>;
  /**
   * A fresh key of the service client `name` (role service), creating the client on first use:
   * how a OneCert service sharing the gateway's database gets its own credential. Refused when
   * a client of that name exists with another role, or is revoked.
   */
  serviceKey(name: string, department: string, expiresInDays?: number): Promise<IssuedKey>;
}

/** Clients and their API keys in the `access` schema (migrate with `accessMigrations` first). */
export function createIdentityStore(db: Db, options: IdentityStoreOptions = {}): IdentityStore {
  const now = options.now ?? (() => new Date());
  const ttl = options.cacheTtlMs ?? 5000;
  const keys = createKeyVerifier(db, now, ttl);
  const clientCache = new TtlCache<string, ClientRecord>(ttl, () => now().getTime());

  const conflict = (message: string) => new Refusal("CONFLICT", message);
  const notFound = (message: string) => new Refusal("NOT_FOUND", message);

  async function insertKey(tx: Queryable, clientId: string, days: number): Promise<IssuedKey> {
    rules.checkKeyDays(days);
    const { apiKey, keyId, secretHash } = generateApiKey();
    const createdAt = now();
    const expiresAt = new Date(createdAt.getTime() + days * DAY_MS);
    await tx.query(
      `INSERT INTO access.api_keys (id, client_id, secret_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [keyId, clientId, secretHash, createdAt, expiresAt],
    );
    return { apiKey, keyId, expiresAt };
  }

  async function findClient(q: Queryable, id: string): Promise<ClientRecord | null> {
    const [row] = await q.query<ClientRecord>(
      `SELECT ${CLIENT_COLUMNS} FROM access.clients c WHERE c.id = $1`,
      [id],
    );
    return row ?? null;
  }

  const forgetCaches = () => {
    keys.forget();
    clientCache.clear();
  };

  return {
    async createClient(input) {
      rules.checkName(input.name);
      rules.checkRole(input.role);
      rules.checkDepartment(input.department);
      rules.checkRateLimit(input.rateLimitPerMinute ?? null);
      rules.checkKeyDays(input.keyExpiresInDays ?? rules.DEFAULT_KEY_DAYS);
      return db.transaction(async (tx) => {
        const [client] = await tx.query<ClientRecord>(
          `INSERT INTO access.clients AS c (id, name, role, department, safelist, rate_limit_per_minute, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING RETURNING ${CLIENT_COLUMNS}`,
          [
            newId("cl"),
            input.name,
            input.role,
            input.department,
            input.safelist ?? false,
            input.rateLimitPerMinute ?? null,
            now(),
          ],
        );
        if (!client) throw conflict(`a client named "${input.name}" already exists`);
        const key = await insertKey(tx, client.id, input.keyExpiresInDays ?? rules.DEFAULT_KEY_DAYS);
        return { client, ...key };
      });
    },

    listClients() {
      return db.query<ClientSummary>(
        `SELECT ${CLIENT_COLUMNS},
           (SELECT count(*) FROM access.api_keys k
             WHERE k.client_id = c.id AND k.revoked_at IS NULL AND k.expires_at > $1)::int AS "activeKeys"
         FROM access.clients c ORDER BY c.created_at, c.name`,
        [now()],
      );
    },

    async getClient(id) {
      const client = await findClient(db, id);
      if (!client) return null;
      const keys = await db.query<KeyRecord>(
        `SELECT ${KEY_COLUMNS} FROM access.api_keys k WHERE k.client_id = $1 ORDER BY k.created_at`,
        [id],
      );
      return { ...client, keys };
    },

    async cachedClient(id) {
      const cached = clientCache.get(id);
      if (cached) return cached;
      const client = await findClient(db, id);
      if (client) clientCache.set(id, client);
      return client;
    },

    async revokeClient(id) {
      const client = await db.transaction(async (tx) => {
        const at = now();
        const [row] = await tx.query<ClientRecord>(
          `UPDATE access.clients c SET revoked_at = $2 WHERE c.id = $1 AND c.revoked_at IS NULL
           RETURNING ${CLIENT_COLUMNS}`,
          [id, at],
        );
        if (!row) {
          if (await findClient(tx, id)) throw conflict(`client ${id} is already revoked`);
          throw notFound(`client ${id} not found`);
        }
        await tx.query(
          `UPDATE access.api_keys SET revoked_at = $2 WHERE client_id = $1 AND revoked_at IS NULL`,
          [id, at],
        );
        return row;
      });
      forgetCaches();
      return client;
    },

    async serviceKey(name, department, expiresInDays = 2) {
      const [existing] = await db.query<ClientRecord>(
        `SELECT ${CLIENT_COLUMNS} FROM access.clients c WHERE c.name = $1`,
        [name],
      );
      if (!existing) {
        const created = await this.createClient({
          name,
          role: "service",
          department,
          safelist: false,
          rateLimitPerMinute: null,
          keyExpiresInDays: expiresInDays,
        }).catch(async (error: unknown) => {
          // Another replica created it meanwhile: use the one that exists.
          if (!(error instanceof Refusal && error.code === "CONFLICT")) throw error;
          return null;
        });
        if (created) return created;
        return this.serviceKey(name, department, expiresInDays);
      }
      if (existing.role !== "service")
        throw conflict(`client ${name} exists with role ${existing.role}, not service`);
      if (existing.revokedAt) throw conflict(`service client ${name} is revoked`);
      return this.issueKey(existing.id, expiresInDays);
    },

    async issueKey(clientId, expiresInDays = rules.DEFAULT_KEY_DAYS) {
      const client = await findClient(db, clientId);
      if (!client) throw notFound(`client ${clientId} not found`);
      if (client.revokedAt) throw conflict(`client ${clientId} is revoked`);
      return insertKey(db, clientId, expiresInDays);
    },

    async revokeKey(keyId) {
      const [row] = await db.query<KeyRecord>(
        `UPDATE access.api_keys k SET revoked_at = $2 WHERE k.id = $1 AND k.revoked_at IS NULL
         RETURNING ${KEY_COLUMNS}`,
        [keyId, now()],
      );
      forgetCaches();
      if (row) return row;
      const [existing] = await db.query(`SELECT 1 FROM access.api_keys WHERE id = $1`, [keyId]);
      throw existing ? conflict(`key ${keyId} is already revoked`) : notFound(`key ${keyId} not found`);
    },

    verifyApiKey: keys.verify,
  };
}
