import {
  publicKeyFromPem,
  suiteOf,
  type CryptoSuite,
  type SuitePrivateKey,
  type SuitePublicKey,
} from "@onecert/subgraph-kit/suites";
import { canonicalJson } from "./record";
import { suiteNamed } from "./suites";
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
  /** The crypto suite it is signed in ("standard", "national"); absent on version-1 checkpoints (standard). */
  suite?: string;
  /** The signature algorithm, as JWS names it ("EdDSA", "SM2"); absent on version-1 checkpoints. */
  alg?: string;
  /** Signature over the canonical checkpoint body in `suite`, base64. */
  signature: string;
}

/** A public key as exports and `--keys` files carry it. */
export interface PublicKeyInfo {
  keyId: string;
  /** SPKI PEM: Ed25519 (standard suite) or SM2 (national). */
  publicKey: string;
}

/** The gateway's checkpoint signing key, in the suite it signs in. */
export interface SigningKey extends PublicKeyInfo {
  suite: CryptoSuite;
  key: SuitePrivateKey;
}

/** Trusted public keys by key id, each knowing its suite. */
export type TrustedKeys = ReadonlyMap<string, SuitePublicKey>;

/**
 * A key id derived from the key itself: the algorithm and 16 hex digits of the SPKI's digest in
 * the key's suite ("ed25519:" with sha256, as before the national suite; "sm2:" with SM3).
 */
export function keyIdOf(publicKey: SuitePublicKey): string {
  const prefix = publicKey.suite === "national" ? "sm2" : "ed25519";
  return `${prefix}:${suiteOf(publicKey).digest(publicKey.spki).toString("hex").slice(0, 16)}`;
}

/**
 * The exact bytes a checkpoint signature covers. Version 2 adds the suite and algorithm, so a
 * signature cannot be taken for one of another suite; a version-1 checkpoint keeps its bytes.
 */
export function checkpointPayload(checkpoint: Omit<Checkpoint, "signature">): Buffer {
  const { seq, hash, count, at, keyId, suite, alg } = checkpoint;
  const type = "onecert-audit-checkpoint";
  if (suite === undefined && alg === undefined)
    return Buffer.from(canonicalJson({ type, v: 1, seq, hash, count, at, keyId }));
  return Buffer.from(canonicalJson({ type, v: 2, seq, hash, count, at, keyId, suite, alg }));
}

/** Signs the head `seq`/`hash` at `at`, in the key's suite. */
export function signCheckpoint(key: SigningKey, seq: number, hash: string, at: Date): Checkpoint {
  const body = {
    seq,
    hash,
    count: seq,
    at: at.toISOString(),
    keyId: key.keyId,
    suite: key.suite.name,
    alg: key.suite.jwsAlg,
  };
  const signature = key.suite.sign(key.key, checkpointPayload(body)).toString("base64");
  return { ...body, signature };
}

/** Why a checkpoint does not verify, or null when it does under one of `trusted`. */
export function checkpointProblem(checkpoint: Checkpoint, trusted: TrustedKeys): string | null {
  const key = trusted.get(checkpoint.keyId);
  if (!key) return `it is signed by key ${checkpoint.keyId}, which is not among the trusted keys`;
  if (checkpoint.count !== checkpoint.seq)
    return `its count ${checkpoint.count} is not its sequence ${checkpoint.seq}`;
  const suite = suiteNamed(checkpoint.suite ?? "standard");
  if (!suite) return `it names the crypto suite ${checkpoint.suite}, which this verifier does not know`;
  const alg = checkpoint.alg ?? (checkpoint.suite === undefined ? "EdDSA" : undefined);
  if (alg !== suite.jwsAlg)
    return `it names the algorithm ${alg}, not ${suite.jwsAlg} as the ${suite.name} suite signs`;
  if (key.suite !== suite.name)
    return `it is a ${suite.name} checkpoint, but key ${checkpoint.keyId} is a ${key.suite} key`;
  const { signature, ...body } = checkpoint;
  const valid = suite.verify(key, checkpointPayload(body), Buffer.from(signature, "base64"));
  return valid ? null : "its signature does not verify";
}

/**
 * Trusted keys from a `--keys` file: JSON (`[{keyId, publicKey}]` or `{"keys": [...]}`) or one or
 * more PEM public keys, of either suite. Key ids are recomputed from the keys, so a file cannot
 * misname a key.
 */
export function parsePublicKeys(text: string): Map<string, SuitePublicKey> {
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

/** Keys by their derived id; each PEM may be of either suite. */
export function keyMap(pems: readonly string[]): Map<string, SuitePublicKey> {
  const keys = new Map<string, SuitePublicKey>();
  for (const pem of pems) {
    let key: SuitePublicKey;
    try {
      key = publicKeyFromPem(pem);
    } catch (error) {
      throw new Error(`a trusted key is not usable: ${(error as Error).message}`);
    }
    keys.set(keyIdOf(key), key);
  }
  return keys;
}

/** Signs tree heads with the checkpoint key: one key, told apart by the payload's type. */
export const treeSigner = (key: SigningKey): TreeHeadSigner => ({
  keyId: key.keyId,
  alg: key.suite.jwsAlg,
  sign: (payload) => key.suite.sign(key.key, payload),
});

/** Checks tree head signatures against the trusted checkpoint keys, in the suite `alg` names. */
export const treeVerifier =
  (trusted: TrustedKeys): TreeHeadVerifier =>
  (payload, signature, keyId, alg) => {
    const key = trusted.get(keyId);
    if (!key) return false;
    const suite = suiteOf(key);
    return suite.jwsAlg === alg && suite.verify(key, payload, signature);
  };
