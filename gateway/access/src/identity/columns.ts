/** The columns of access.clients (alias c) as ClientRecord fields. */
export const CLIENT_COLUMNS = `c.id, c.name, c.role, c.department, c.safelist,
  c.rate_limit_per_minute AS "rateLimitPerMinute", c.created_at AS "createdAt", c.revoked_at AS "revokedAt"`;

/** The columns of access.api_keys (alias k) as KeyRecord fields; never the hash. */
export const KEY_COLUMNS = `k.id, k.client_id AS "clientId", k.created_at AS "createdAt", k.expires_at AS "expiresAt",
  k.revoked_at AS "revokedAt", k.last_used_at AS "lastUsedAt"`;
