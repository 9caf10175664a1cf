import type { JWK } from "jose";
import type { Db, Migration } from "../db";
import { KeyUnavailableError, seal, unseal } from "./seal";
import { standardSuite } from "./standard";
import { privateKeyFromPem, suiteOf } from "./suite";
import type { CryptoSuite, SuitePrivateKey } from "./types";

/** The schema of the signing keys in the gateway's database, shared by every replica and service. */
export const KEYRING_SCHEMA = "keyring";

export const keyringMigrations: readonly Migration[] = [
  {
    version: 1,
    description: "signing keys by purpose (proofs, ...), one active key per purpose",
    sql: `
      CREATE TABLE keyring.keys (
        purpose text NOT NULL,
        kid text NOT NULL,
        public_jwk text NOT NULL,
        private_key text NOT NULL,
        encrypted boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        signed_until timestamptz,
        PRIMARY KEY (purpose, kid)
      );
      CREATE UNIQUE INDEX keys_one_active ON keyring.keys (purpose) WHERE retired_at IS NULL
    `,
  },
];

/** What the keys of the keyring sign; each purpose has its own active key and rotation. */
export const KEY_PURPOSES = {
  /** Electronic proofs (certificates service), published at /.well-known/jwks.json. */
  proof: "proof",
  /** The gateway's assertions to subgraphs, published at /.well-known/onecert-gateway-jwks.json. */
  hop: "hop",
} as const;

/** A signing key as verifiers see it. */
export interface PublishedKey {
  kid: string;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
  /** The latest expiry of an artefact it signed; the key stays published until then. */
  signedUntil: Date | null;
}

export interface SigningKey {
  kid: string;
  /** The suite the key signs in: what its artefacts name (JWS alg, checkpoint suite). */
  suite: CryptoSuite;
  key: SuitePrivateKey;
}

/** The signing keys of one purpose: proofs, or the gateway's hop assertions. */
export interface Keyring {
  /** The active key, made on first use and replaced once older than `rotateAfterMs`. */
  signingKey(): Promise<SigningKey>;
  /** Keeps `kid` published until `until`: call before handing out artefacts that expire then. */
  noteSigned(kid: string, until: Date): Promise<void>;
  /** Retires the active key (it stays published while what it signed is valid) and makes a new one. */
  rotate(): Promise<PublishedKey>;
  /** What a JWKS must hold: the active key and retired ones with artefacts not yet expired. */
  published(): Promise<PublishedKey[]>;
  /** Every key of the purpose ever made, newest first. */
  list(): Promise<PublishedKey[]>;
}

export interface KeyringOptions {
  /** What the keys sign, e.g. "proof"; each purpose has its own active key. */
  purpose: string;
  /**
   * The suite new keys are made in (CRYPTO_SUITE). An active key of another suite is replaced on
   * its next use, and stays published while what it signed is valid. Default the standard suite.
   */
  suite?: CryptoSuite;
  /** Encrypts private keys at rest (scrypt + AES-256-GCM). Unset: stored in clear. */
  secret?: string;
  /** The setting that holds `secret`, named in errors. Default "PROOF_KEY_SECRET". */
  secretName?: string;
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

/** The suite of a stored key, read from its public JWK (kty/crv): Ed25519 is standard, SM2 national. */
const suiteOfRow = (row: Row): string =>
  (JSON.parse(row.public_jwk) as JWK).crv === "SM2" ? "national" : "standard";

const toKey = (row: Row): PublishedKey => ({
  kid: row.kid,
  publicJwk: JSON.parse(row.public_jwk) as JWK,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
  signedUntil: row.signed_until,
});

/** Signing keys of one purpose in keyring.keys, in the configured suite (migrate KEYRING_SCHEMA first). */
export function createKeyring(db: Db, options: KeyringOptions): Keyring {
  const { purpose } = options;
  const suite = options.suite ?? standardSuite;
  const now = options.now ?? (() => new Date());
  const rotateAfterMs = options.rotateAfterMs ?? 90 * 86_400_000;
  const secretName = options.secretName ?? "PROOF_KEY_SECRET";
  const opened = new Map<string, SuitePrivateKey>();
  const lock = `SELECT pg_advisory_xact_lock(hashtext('onecert-keyring:' || $1))`;

  async function insertNew(tx: Pick<Db, "query">): Promise<Row> {
    const privateKey = suite.generateKeyPair();
    const kid = suite.thumbprint(privateKey.publicKey);
    const jwk: JWK = { ...privateKey.publicKey.jwk, alg: suite.jwsAlg, use: "sig" };
    const pem = privateKey.exportPem();
    const stored = options.secret ? seal(pem, options.secret) : pem;
    const [row] = await tx.query<Row>(
      `INSERT INTO keyring.keys (purpose, kid, public_jwk, private_key, encrypted, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [purpose, kid, JSON.stringify({ ...jwk, kid }), stored, !!options.secret, now()],
    );
    return row;
  }

  async function rotateIn(tx: Pick<Db, "query">, onlyIfOlderThan?: Date): Promise<Row> {
    await tx.query(lock, [purpose]);
    const [active] = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM keyring.keys WHERE purpose = $1 AND retired_at IS NULL`,
      [purpose],
    );
    if (active && onlyIfOlderThan && active.created_at > onlyIfOlderThan && suiteOfRow(active) === suite.name)
      return active;
    if (active) {
      await tx.query("UPDATE keyring.keys SET retired_at = $3 WHERE purpose = $1 AND kid = $2", [
        purpose,
        active.kid,
        now(),
      ]);
    }
    return insertNew(tx);
  }

  function open(row: Row): SigningKey {
    let key = opened.get(row.kid);
    if (!key) {
      const pem = row.encrypted
        ? unseal(row.private_key, options.secret, `${purpose} key ${row.kid}`, secretName)
        : row.private_key;
      try {
        key = privateKeyFromPem(pem);
      } catch {
        throw new KeyUnavailableError(`${purpose} key ${row.kid} is damaged`);
      }
      opened.set(row.kid, key);
    }
    return { kid: row.kid, suite: suiteOf(key), key };
  }

  return {
    async signingKey() {
      const [active] = await db.query<Row>(
        `SELECT ${COLUMNS} FROM keyring.keys WHERE purpose = $1 AND retired_at IS NULL`,
        [purpose],
      );
      const cutoff = new Date(now().getTime() - rotateAfterMs);
      if (active && active.created_at > cutoff && suiteOfRow(active) === suite.name) return open(active);
      return open(await db.transaction((tx) => rotateIn(tx, cutoff)));
    },
    async noteSigned(kid, until) {
      await db.query(
        `UPDATE keyring.keys SET signed_until = greatest(coalesce(signed_until, $3), $3)
          WHERE purpose = $1 AND kid = $2`,
        [purpose, kid, until],
      );
    },
    async rotate() {
      return toKey(await db.transaction((tx) => rotateIn(tx)));
    },
    async published() {
      const rows = await db.query<Row>(
        `SELECT ${COLUMNS} FROM keyring.keys
          WHERE purpose = $1 AND (retired_at IS NULL OR signed_until > $2) ORDER BY created_at DESC`,
        [purpose, now()],
      );
      return rows.map(toKey);
    },
    async list() {
      const rows = await db.query<Row>(
        `SELECT ${COLUMNS} FROM keyring.keys WHERE purpose = $1 ORDER BY created_at DESC`,
        [purpose],
      );
      return rows.map(toKey);
    },
  };
}
