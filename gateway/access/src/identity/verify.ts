import type { Db } from "@onecert/subgraph-kit";
import type { AuthenticatedClient } from "../types";
import { CLIENT_COLUMNS } from "./columns";
import { hashSecret, parseApiKey, secretMatches } from "./keys";
import type { ClientRecord } from "./model";
import { TtlCache } from "./ttl-cache";

/** How often at most a key's last_used_at is written, so busy keys don't write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

interface KeyRow extends ClientRecord {
  secretHash: string;
  expiresAt: Date;
  keyRevokedAt: Date | null;
  lastUsedAt: Date | null;
}

interface VerifiedKey {
  client: AuthenticatedClient;
  expiresAt: Date;
}

/** API key verification with a cache of successful lookups that lives `ttlMs` on the clock `now`. */
export function createKeyVerifier(db: Db, now: () => Date, ttlMs: number) {
  const cache = new TtlCache<string, VerifiedKey>(ttlMs, () => now().getTime());
  const lastTouched = new Map<string, number>();

  async function touch(keyId: string, known: Date | null): Promise<void> {
    const at = now().getTime();
    if (at - Math.max(lastTouched.get(keyId) ?? 0, known?.getTime() ?? 0) < TOUCH_INTERVAL_MS) return;
    lastTouched.set(keyId, at);
    // Usage tracking must never fail an otherwise valid authentication.
    await db
      .query(`UPDATE access.api_keys SET last_used_at = $2 WHERE id = $1`, [keyId, new Date(at)])
      .catch(() => undefined);
  }

  async function verify(presented: string): Promise<AuthenticatedClient | null> {
    const parsed = parseApiKey(presented);
    if (!parsed) return null;
    // Keyed by a hash so the cache never holds presented secrets.
    const cacheKey = hashSecret(presented);
    const cached = cache.get(cacheKey);
    if (cached) {
      if (cached.expiresAt <= now()) return null;
      await touch(parsed.keyId, null);
      return cached.client;
    }
    const [row] = await db.query<KeyRow>(
      `SELECT k.secret_hash AS "secretHash", k.expires_at AS "expiresAt", k.revoked_at AS "keyRevokedAt",
         k.last_used_at AS "lastUsedAt", ${CLIENT_COLUMNS}
       FROM access.api_keys k JOIN access.clients c ON c.id = k.client_id WHERE k.id = $1`,
      [parsed.keyId],
    );
    if (!secretMatches(parsed.secret, row?.secretHash)) return null;
    if (row.keyRevokedAt || row.revokedAt || row.expiresAt <= now()) return null;
    const client: AuthenticatedClient = {
      id: row.id,
      name: row.name,
      role: row.role,
      department: row.department,
      safelist: row.safelist,
      rateLimitPerMinute: row.rateLimitPerMinute,
      via: "api-key",
      credentialId: parsed.keyId,
    };
    cache.set(cacheKey, { client, expiresAt: row.expiresAt });
    await touch(parsed.keyId, row.lastUsedAt);
    return client;
  }

  return { verify, forget: () => cache.clear() };
}
