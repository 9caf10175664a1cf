import type { Db } from "@onecert/subgraph-kit";
import { calculateJwkThumbprint, type JWK } from "jose";
import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { ProofKeyError, seal, unseal } from "./seal";

/** A proof-signing key as verifiers see it. */
export interface ProofKey {
  kid: string;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
  /** The latest expiry of a proof it signed; the key stays published until then. */
  signedUntil: Date | null;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

export interface ProofKeyStore {
  /** The active key, made on first use and replaced once older than `rotateAfterMs`. */
  signingKey(): Promise<SigningKey>;
  /** Keeps `kid` published until `until`: call before handing out proofs that expire then. */
  noteSigned(kid: string, until: Date): Promise<void>;
  /** Retires the active key (it stays published while its proofs are valid) and makes a new one. */
  rotate(): Promise<ProofKey>;
  /** What a JWKS must hold: the active key and retired ones with proofs not yet expired. */
  published(): Promise<ProofKey[]>;
  /** Every key ever made, newest first. */
  list(): Promise<ProofKey[]>;
}

export interface ProofKeyStoreOptions {
  /** Encrypts private keys at rest (scrypt + AES-256-GCM). Env PROOF_KEY_SECRET; unset: stored in clear. */
  secret?: string;
  /** Age at which the active key is replaced on next use. Default 90 days. */
  rotateAfterMs?: number;
  /** The clock. Default the system clock. */
  now?: () => Date;
}

interface Row {
  kid: string;
  public_jwk: string;
  private_key: string;
  encrypted: boolean;
  created_at: Date;
  retired_at: Date | null;
  signed_until: Date | null;
}

const COLUMNS = "kid, public_jwk, private_key, encrypted, created_at, retired_at, signed_until";
const LOCK = "SELECT pg_advisory_xact_lock(hashtext('onecert-proof-keys'))";

const toKey = (row: Row): ProofKey => ({
  kid: row.kid,
  publicJwk: JSON.parse(row.public_jwk) as JWK,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
  signedUntil: row.signed_until,
});

/** Ed25519 proof keys in certificates.proof_keys, shared by every replica and the gateway's JWKS. */
export function createProofKeyStore(db: Db, options: ProofKeyStoreOptions = {}): ProofKeyStore {
  const now = options.now ?? (() => new Date());
  const rotateAfterMs = options.rotateAfterMs ?? 90 * 86_400_000;
  const opened = new Map<string, KeyObject>();

  async function insertNew(tx: Pick<Db, "query">): Promise<Row> {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const jwk = { ...(publicKey.export({ format: "jwk" }) as JWK), alg: "EdDSA", use: "sig" };
    const kid = await calculateJwkThumbprint(jwk);
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const stored = options.secret ? seal(pem, options.secret) : pem;
    const [row] = await tx.query<Row>(
      `INSERT INTO certificates.proof_keys (kid, public_jwk, private_key, encrypted, created_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [kid, JSON.stringify({ ...jwk, kid }), stored, !!options.secret, now()],
    );
    return row!;
  }

  async function rotateIn(tx: Pick<Db, "query">, onlyIfOlderThan?: Date): Promise<Row> {
    await tx.query(LOCK);
    const [active] = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM certificates.proof_keys WHERE retired_at IS NULL`,
    );
    if (active && onlyIfOlderThan && active.created_at > onlyIfOlderThan) return active;
    if (active) {
      await tx.query("UPDATE certificates.proof_keys SET retired_at = $2 WHERE kid = $1", [
        active.kid,
        now(),
      ]);
    }
    return insertNew(tx);
  }

  function open(row: Row): SigningKey {
    let key = opened.get(row.kid);
    if (!key) {
      const pem = row.encrypted ? unseal(row.private_key, options.secret, row.kid) : row.private_key;
      try {
        key = createPrivateKey(pem);
      } catch {
        throw new ProofKeyError(`proof key ${row.kid} is damaged`);
      }
      opened.set(row.kid, key);
    }
    return { kid: row.kid, privateKey: key };
  }

  return {
    async signingKey() {
      const [active] = await db.query<Row>(
        `SELECT ${COLUMNS} FROM certificates.proof_keys WHERE retired_at IS NULL`,
      );
      const cutoff = new Date(now().getTime() - rotateAfterMs);
      if (active && active.created_at > cutoff) return open(active);
      return open(await db.transaction((tx) => rotateIn(tx, cutoff)));
    },
    async noteSigned(kid, until) {
      await db.query(
        `UPDATE certificates.proof_keys SET signed_until = greatest(coalesce(signed_until, $2), $2) WHERE kid = $1`,
        [kid, until],
      );
    },
    async rotate() {
      return toKey(await db.transaction((tx) => rotateIn(tx)));
    },
    async published() {
      const rows = await db.query<Row>(
        `SELECT ${COLUMNS} FROM certificates.proof_keys
         WHERE retired_at IS NULL OR signed_until > $1 ORDER BY created_at DESC`,
        [now()],
      );
      return rows.map(toKey);
    },
    async list() {
      const rows = await db.query<Row>(
        `SELECT ${COLUMNS} FROM certificates.proof_keys ORDER BY created_at DESC`,
      );
      return rows.map(toKey);
    },
  };
}
