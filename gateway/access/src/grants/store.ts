import { Refusal } from "@onecert/subgraph-kit";
import type { Db } from "@onecert/subgraph-kit";
import { newId } from "../identity/ids";
import { TtlCache } from "../identity/ttl-cache";
import type { Grant, GrantSource, GrantStatus } from "../types";
import { checkGrantRequest, GRANT_STATUSES, type GrantRequest, type GrantValidators } from "./rules";

export type { GrantRequest, GrantValidators } from "./rules";

/** A grant with its decision note and the client it is for. */
export interface GrantRecord extends Grant {
  decisionNote: string | null;
  clientName: string;
  clientDepartment: string;
}

export interface GrantStoreOptions {
  /** The clock; default the system clock. */
  now?: () => Date;
  /** How long a client's approved grants are served from memory, in ms; default 5000. */
  cacheTtlMs?: number;
}

export interface GrantStore extends GrantSource {
  request(input: GrantRequest): Promise<GrantRecord>;
  approve(id: string, by: string, note?: string): Promise<GrantRecord>;
  reject(id: string, by: string, note?: string): Promise<GrantRecord>;
  revoke(id: string, by: string, note?: string): Promise<GrantRecord>;
  /** Newest first, at most 1000. */
  list(filter?: { clientId?: string; status?: GrantStatus }): Promise<GrantRecord[]>;
  /** "Type.field" and "Type.*" entries of approved grants valid now held by any client of `department`. */
  departmentFields(department: string, at?: Date): Promise<Set<string>>;
  get(id: string): Promise<GrantRecord | null>;
}

const COLUMNS = `g.id, g.client_id AS "clientId", g.fields, g.matters, g.clear_values AS "clearValues",
  g.valid_from AS "validFrom", g.valid_until AS "validUntil", g.status, g.reason,
  g.requested_by AS "requestedBy", g.requested_at AS "requestedAt", g.decided_by AS "decidedBy",
  g.decided_at AS "decidedAt", g.decision_note AS "decisionNote",
  c.name AS "clientName", c.department AS "clientDepartment"`;
const FROM = `access.grants g JOIN access.clients c ON c.id = g.client_id`;

/** Which status a decision needs and leads to. */
const TRANSITIONS = {
  approve: { from: "REQUESTED", to: "APPROVED" },
  reject: { from: "REQUESTED", to: "REJECTED" },
  revoke: { from: "APPROVED", to: "REVOKED" },
} as const;

/**
 * Grants in `access.grants` (migrate with `accessMigrations` first). `activeGrants` serves each
 * client's approved grants from memory for up to cacheTtlMs; changes made through this store
 * clear that client's entry at once, changes by other replicas show within the TTL.
 */
export function createGrantStore(
  db: Db,
  validators: GrantValidators,
  options: GrantStoreOptions = {},
): GrantStore {
  const now = options.now ?? (() => new Date());
  const approved = new TtlCache<string, GrantRecord[]>(options.cacheTtlMs ?? 5000, () => now().getTime());

  const get = async (id: string): Promise<GrantRecord | null> => {
    const [row] = await db.query<GrantRecord>(`SELECT ${COLUMNS} FROM ${FROM} WHERE g.id = $1`, [id]);
    return row ?? null;
  };

  async function decide(action: keyof typeof TRANSITIONS, id: string, by: string, note?: string) {
    const { from, to } = TRANSITIONS[action];
    if (note !== undefined && note.length > 2000)
      throw new Refusal("BAD_REQUEST", "note is over 2000 characters");
    const at = now();
    // An approval must still have time left; a rejection or revocation may come at any time.
    const [updated] = await db.query<{ id: string }>(
      `UPDATE access.grants SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5
       WHERE id = $1 AND status = $6 AND (NOT $7::boolean OR valid_until > $4) RETURNING id`,
      [id, to, by, at, note ?? null, from, action === "approve"],
    );
    const grant = await get(id);
    if (!grant) throw new Refusal("NOT_FOUND", `grant ${id} not found`);
    approved.delete(grant.clientId);
    if (updated) return grant;
    if (grant.status !== from) {
      throw new Refusal(
        "CONFLICT",
        `grant ${id} is ${grant.status}; only ${from} grants can be ${to.toLowerCase()}`,
      );
    }
    throw new Refusal("CONFLICT", `grant ${id} expired before it was approved`);
  }

  return {
    async activeGrants(clientId, at = now()) {
      let grants = approved.get(clientId);
      if (!grants) {
        grants = await db.query<GrantRecord>(
          `SELECT ${COLUMNS} FROM ${FROM} WHERE g.client_id = $1 AND g.status = 'APPROVED' ORDER BY g.valid_from`,
          [clientId],
        );
        approved.set(clientId, grants);
      }
      return grants.filter((grant) => grant.validFrom <= at && at < grant.validUntil);
    },

    async departmentFields(department, at = now()) {
      const rows = await db.query<{ fields: string[] | string }>(
        `SELECT g.fields FROM access.grants g JOIN access.clients c ON c.id = g.client_id
          WHERE c.department = $1 AND g.status = 'APPROVED' AND g.valid_from <= $2 AND $2 < g.valid_until`,
        [department, at],
      );
      return new Set(
        rows.flatMap((row) =>
          typeof row.fields === "string" ? (JSON.parse(row.fields) as string[]) : row.fields,
        ),
      );
    },

    async request(input) {
      const at = now();
      const checked = checkGrantRequest(input, at, validators);
      const [client] = await db.query<{ department: string; revokedAt: Date | null }>(
        `SELECT department, revoked_at AS "revokedAt" FROM access.clients WHERE id = $1`,
        [input.clientId],
      );
      if (!client) throw new Refusal("BAD_REQUEST", `unknown client ${input.clientId}`);
      if (input.requesterDepartment !== undefined && client.department !== input.requesterDepartment) {
        throw new Refusal("FORBIDDEN", "a department may request grants only for its own clients");
      }
      if (client.revokedAt) throw new Refusal("CONFLICT", `client ${input.clientId} is revoked`);
      const id = newId("gr");
      await db.query(
        `INSERT INTO access.grants (id, client_id, fields, matters, clear_values, valid_from, valid_until,
           status, reason, requested_by, requested_at)
         VALUES ($1, $2, $3::text[], $4::text[], $5, $6, $7, 'REQUESTED', $8, $9, $10)`,
        [
          id,
          input.clientId,
          checked.fields,
          checked.matters,
          input.clearValues,
          checked.validFrom,
          input.validUntil,
          input.reason,
          input.requestedBy,
          at,
        ],
      );
      approved.delete(input.clientId);
      return (await get(id)) as GrantRecord;
    },

    approve: (id, by, note) => decide("approve", id, by, note),
    reject: (id, by, note) => decide("reject", id, by, note),
    revoke: (id, by, note) => decide("revoke", id, by, note),

    async list(filter = {}) {
      if (filter.status !== undefined && !GRANT_STATUSES.includes(filter.status)) {
        throw new Refusal("BAD_REQUEST", `status must be one of ${GRANT_STATUSES.join(", ")}`);
      }
      return db.query<GrantRecord>(
        `SELECT ${COLUMNS} FROM ${FROM}
         WHERE ($1::text IS NULL OR g.client_id = $1) AND ($2::text IS NULL OR g.status = $2)
         ORDER BY g.requested_at DESC, g.id LIMIT 1000`,
        [filter.clientId ?? null, filter.status ?? null],
      );
    },

    get,
  };
}
