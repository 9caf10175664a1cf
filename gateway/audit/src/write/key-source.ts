import { migrate, type Db } from "@onecert/subgraph-kit/db";
import {
  createKeyring,
  KEYRING_SCHEMA,
  keyringMigrations,
  type Keyring,
} from "@onecert/subgraph-kit/keyring";
import { suiteOf } from "@onecert/subgraph-kit/suites";
import { openSigningKey } from "../key-file";
import { keyIdOf, type PublicKeyInfo, type SigningKey } from "../signing";
import { suiteNamed } from "../suites";

/** The keyring purpose of the checkpoint keys, beside "proof" and "hop". */
export const AUDIT_KEY_PURPOSE = "audit";

/**
 * Where the writer thread takes its checkpoint key from; plain data, as it crosses threads.
 * `file`: the PEM the request thread read from AUDIT_SIGNING_KEY_FILE. `database`: the keyring
 * of the audit database, as proof keys are kept.
 */
export type AuditKeySpec =
  | { store: "file"; pem: string }
  | { store: "database"; suite: string; secret?: string; rotateAfterMs: number; now?: () => Date };

/** The key checkpoints are signed with now, and how it changes. */
export interface AuditKeys {
  /** The key to sign with; the store reads it at each signature. */
  current(): SigningKey;
  /** Takes up the keyring's active key, replacing it first when it is older than the rotation age. */
  refresh(): Promise<void>;
  /** Makes a new key the active one (database store only). */
  rotate(): Promise<PublicKeyInfo>;
}

export class KeyRotationUnsupportedError extends Error {
  readonly code = "KEY_ROTATION_UNSUPPORTED";
}

/** Opens the checkpoint key of `spec` on `db` (the audit database, already reachable). */
export async function openAuditKeys(db: Db, spec: AuditKeySpec): Promise<AuditKeys> {
  if (spec.store === "file") {
    const key = openSigningKey(spec.pem);
    return {
      current: () => key,
      refresh: async () => undefined,
      rotate: () =>
        Promise.reject(
          new KeyRotationUnsupportedError(
            "the audit signing key is a file (AUDIT_SIGNING_KEY_STORE=file): rotate it by replacing AUDIT_SIGNING_KEY_FILE",
          ),
        ),
    };
  }
  const suite = suiteNamed(spec.suite);
  if (!suite) throw new Error(`unknown crypto suite ${spec.suite}`);
  await migrate(db, KEYRING_SCHEMA, keyringMigrations);
  const keyring: Keyring = createKeyring(db, {
    purpose: AUDIT_KEY_PURPOSE,
    suite,
    secret: spec.secret,
    secretName: "AUDIT_SIGNING_KEY_SECRET",
    rotateAfterMs: spec.rotateAfterMs,
    now: spec.now,
  });
  const toSigningKey = ({ key }: { key: SigningKey["key"] }): SigningKey => ({
    keyId: keyIdOf(key.publicKey),
    publicKey: key.publicKey.pem,
    suite: suiteOf(key),
    key,
  });
  let current = toSigningKey(await keyring.signingKey());
  const refresh = async () => {
    current = toSigningKey(await keyring.signingKey());
  };
  return {
    current: () => current,
    refresh,
    async rotate() {
      await keyring.rotate();
      await refresh();
      return { keyId: current.keyId, publicKey: current.publicKey };
    },
  };
}
