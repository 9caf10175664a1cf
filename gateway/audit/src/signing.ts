import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { canonicalJson } from "./record";
import type { TreeHeadSigner, TreeHeadVerifier } from "./merkle";

/** A signed statement of the chain head: "the first `count` records end in `hash`". */
export interface Checkpoint {
  /** Sequence of the last record covered. */
  seq: number;
  /** Its hash: the whole chain up to it is fixed by this value. */
  hash: string;
  /** Records covered, from the first; equals `seq`. */
  count: number;
  /** When it was signed, ISO 8601. */
  at: string;
  keyId: string;
  /** Ed25519 signature over the canonical checkpoint body, base64. */
  signature: string;
}

/** A public key as exports and `--keys` files carry it. */
export interface PublicKeyInfo {
  keyId: string;
  /** SPKI PEM. */
  publicKey: string;
}

/** The gateway's checkpoint signing key. */
export interface SigningKey extends PublicKeyInfo {
  privateKey: KeyObject;
}

/** A key id derived from the key itself: "ed25519:" and 16 hex digits of the SPKI's sha256. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return `ed25519:${createHash("sha256").update(der).digest("hex").slice(0, 16)}`;
}

/** The exact bytes a checkpoint signature covers. */
export function checkpointPayload(checkpoint: Omit<Checkpoint, "signature">): Buffer {
  const { seq, hash, count, at, keyId } = checkpoint;
  return Buffer.from(canonicalJson({ type: "onecert-audit-checkpoint", v: 1, seq, hash, count, at, keyId }));
}

/** Signs the head `seq`/`hash` at `at`. */
export function signCheckpoint(key: SigningKey, seq: number, hash: string, at: Date): Checkpoint {
  const body = { seq, hash, count: seq, at: at.toISOString(), keyId: key.keyId };
  const signature = sign(null, checkpointPayload(body), key.privateKey).toString("base64");
  return { ...body, signature };
}

/** Why a checkpoint does not verify, or null when it does under one of `trusted`. */
export function checkpointProblem(
  checkpoint: Checkpoint,
  trusted: ReadonlyMap<string, KeyObject>,
): string | null {
  const key = trusted.get(checkpoint.keyId);
  if (!key) return `it is signed by key ${checkpoint.keyId}, which is not among the trusted keys`;
  if (checkpoint.count !== checkpoint.seq)
    return `its count ${checkpoint.count} is not its sequence ${checkpoint.seq}`;
  const { signature, ...body } = checkpoint;
  let valid = false;
  try {
    valid = verify(null, checkpointPayload(body), key, Buffer.from(signature, "base64"));
  } catch {
    valid = false;
  }
  return valid ? null : "its signature does not verify";
}

const fromPem = (pem: string): SigningKey => {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("the key is not an Ed25519 private key");
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKey,
  };
};

/**
 * Reads the PEM (PKCS#8) Ed25519 private key at `file`. When it does not exist and `generate`
 * is set (development), creates one with mode 0600; `wx` makes two processes starting together
 * agree on one key.
 */
export function loadSigningKey(file: string, generate: boolean): SigningKey {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    if (!generate) {
      throw new Error(
        `AUDIT_SIGNING_KEY_FILE ${file} does not exist; create one with \`onecert audit keygen --out ${file}\``,
      );
    }
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync("ed25519");
    try {
      writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== "EEXIST") throw raced;
    }
    pem = readFileSync(file, "utf8");
  }
  try {
    return fromPem(pem);
  } catch (error) {
    throw new Error(`AUDIT_SIGNING_KEY_FILE ${file}: ${(error as Error).message}`);
  }
}

/** A new Ed25519 key as PKCS#8 PEM, with its public half. */
export function generateSigningKey(): { privatePem: string } & PublicKeyInfo {
  const { privateKey } = generateKeyPairSync("ed25519");
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const { keyId, publicKey } = fromPem(privatePem);
  return { privatePem, keyId, publicKey };
}

/** The public half of a private key PEM. */
export const publicKeyOf = (privatePem: string): PublicKeyInfo => {
  const { keyId, publicKey } = fromPem(privatePem);
  return { keyId, publicKey };
};

/**
 * Trusted keys from a `--keys` file: JSON (`[{keyId, publicKey}]` or `{"keys": [...]}`) or one or
 * more PEM public keys. Key ids are recomputed from the keys, so a file cannot misname a key.
 */
export function parsePublicKeys(text: string): Map<string, KeyObject> {
  const pems: string[] = [];
  if (text.trimStart().startsWith("-----BEGIN")) {
    pems.push(...(text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? []));
  } else {
    const parsed = JSON.parse(text) as PublicKeyInfo[] | { keys?: PublicKeyInfo[] };
    const list = Array.isArray(parsed) ? parsed : (parsed.keys ?? []);
    for (const item of list) if (typeof item?.publicKey === "string") pems.push(item.publicKey);
  }
  if (pems.length === 0)
    throw new Error("no public keys found (expected PEM or JSON with publicKey entries)");
  return keyMap(pems);
}

/** Keys by their derived id. */
export function keyMap(pems: readonly string[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const pem of pems) {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== "ed25519") throw new Error("a trusted key is not an Ed25519 public key");
    keys.set(keyIdOf(key), key);
  }
  return keys;
}

/** Signs tree heads with the checkpoint key: one key, told apart by the payload's type. */
export const treeSigner = (key: SigningKey): TreeHeadSigner => ({
  keyId: key.keyId,
  sign: (payload) => sign(null, payload, key.privateKey),
});

/** Checks tree head signatures against the trusted checkpoint keys. */
export const treeVerifier =
  (trusted: ReadonlyMap<string, KeyObject>): TreeHeadVerifier =>
  (payload, signature, keyId) => {
    const key = trusted.get(keyId);
    return !!key && verify(null, payload, key, signature);
  };
