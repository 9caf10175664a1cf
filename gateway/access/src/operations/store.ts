import type { Db } from "@onecert/subgraph-kit";
import { GraphQLError, Kind, parse, type DocumentNode } from "graphql";
import { createHash } from "node:crypto";

/** An operation admitted to the safelist. */
export interface PersistedOperation {
  /** SHA-256 hex of the exact query text, as Apollo's persisted queries compute it. */
  hash: string;
  name: string;
  query: string;
  /** The only client that may run it by safelist; null: any client. */
  clientId: string | null;
  registeredBy: string;
  registeredAt: Date;
}

export interface RegisterOperation {
  name: string;
  query: string;
  /** Omitted or null: any client. */
  clientId?: string | null;
  registeredBy: string;
}

export interface OperationStore {
  /** Registers `query` (idempotent); throws OperationRegistrationError when it cannot. */
  register(input: RegisterOperation): Promise<{ hash: string }>;
  /** The registered operation with this hash, or null. */
  get(hash: string): Promise<{ query: string; clientId: string | null } | null>;
  /** Every registered operation, oldest first. */
  list(): Promise<PersistedOperation[]>;
}

export interface OperationStoreOptions {
  /** How long an unknown hash is remembered as unknown, sparing the database. Default 5000 ms. */
  missTtlMs?: number;
}

/** Why a registration was refused: the query does not parse, or the hash belongs to another client. */
export class OperationRegistrationError extends Error {
  constructor(
    readonly reason: "INVALID_QUERY" | "CONFLICT",
    message: string,
  ) {
    super(message);
  }
}

/** SHA-256 hex of the exact query text: the hash Apollo computes for a request's query. */
export const operationHash = (query: string): string => createHash("sha256").update(query).digest("hex");

const HASH = /^[0-9a-f]{64}$/;
const MAX_MISSES = 10_000;

interface Row {
  hash: string;
  name: string;
  query: string;
  client_id: string | null;
  registered_by: string;
  registered_at: Date;
}

/**
 * Persisted operations in "access_operations". Rows never change once written, so hits are
 * cached in memory for good; misses are cached briefly so that a flood of unknown hashes does
 * not reach the database, at the price of a registration on another replica showing up to
 * `missTtlMs` late here.
 */
export function createOperationStore(db: Db, options: OperationStoreOptions = {}): OperationStore {
  const missTtlMs = options.missTtlMs ?? 5_000;
  const hits = new Map<string, { query: string; clientId: string | null }>();
  const misses = new Map<string, number>();

  return {
    async register({ name, query, clientId = null, registeredBy }) {
      checkQuery(query);
      const hash = operationHash(query);
      const inserted = await db.query(
        `INSERT INTO access_operations.persisted_operations (hash, name, query, client_id, registered_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING RETURNING hash`,
        [hash, name, query, clientId, registeredBy],
      );
      misses.delete(hash);
      if (inserted.length > 0) return { hash };
      const [existing] = await db.query<Pick<Row, "client_id">>(
        "SELECT client_id FROM access_operations.persisted_operations WHERE hash = $1",
        [hash],
      );
      // Rows are immutable (replicas cache them); widening or moving one would go unseen elsewhere.
      if (existing && existing.client_id !== clientId) {
        const owner = existing.client_id === null ? "any client" : `client ${existing.client_id}`;
        throw new OperationRegistrationError(
          "CONFLICT",
          `operation ${hash} is already registered for ${owner}; registrations cannot be changed`,
        );
      }
      return { hash };
    },

    async get(rawHash) {
      const hash = rawHash.toLowerCase();
      const cached = hits.get(hash);
      if (cached) return cached;
      if (!HASH.test(hash)) return null;
      const missedAt = misses.get(hash);
      if (missedAt !== undefined && Date.now() - missedAt < missTtlMs) return null;
      const [row] = await db.query<Pick<Row, "query" | "client_id">>(
        "SELECT query, client_id FROM access_operations.persisted_operations WHERE hash = $1",
        [hash],
      );
      if (!row) {
        if (misses.size >= MAX_MISSES) misses.clear();
        misses.set(hash, Date.now());
        return null;
      }
      const found = { query: row.query, clientId: row.client_id };
      hits.set(hash, found);
      misses.delete(hash);
      return found;
    },

    async list() {
      const rows = await db.query<Row>(
        `SELECT hash, name, query, client_id, registered_by, registered_at
         FROM access_operations.persisted_operations ORDER BY registered_at, hash`,
      );
      return rows.map((row) => ({
        hash: row.hash,
        name: row.name,
        query: row.query,
        clientId: row.client_id,
        registeredBy: row.registered_by,
        registeredAt: row.registered_at,
      }));
    },
  };
}

function checkQuery(query: string): void {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    const reason = error instanceof GraphQLError ? error.message : String(error);
    throw new OperationRegistrationError("INVALID_QUERY", `query does not parse: ${reason}`);
  }
  if (!document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION))
    throw new OperationRegistrationError("INVALID_QUERY", "query contains no operation");
}
