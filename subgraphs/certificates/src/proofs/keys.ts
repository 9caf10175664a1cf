import { createKeyring, KEY_PURPOSES, type Keyring, type KeyringOptions } from "@onecert/subgraph-kit";

/** The purpose of proof-signing keys in the shared keyring (keyring.keys). */
export const PROOF_KEY_PURPOSE = KEY_PURPOSES.proof;

export type ProofKeyStore = Keyring;
export type ProofKeyStoreOptions = Omit<KeyringOptions, "purpose" | "secretName">;

/** The proof-signing keys: Ed25519, shared by every replica and published by the gateway's JWKS. */
export function createProofKeyStore(
  db: Parameters<typeof createKeyring>[0],
  options: ProofKeyStoreOptions = {},
): ProofKeyStore {
  return createKeyring(db, { ...options, purpose: PROOF_KEY_PURPOSE, secretName: "PROOF_KEY_SECRET" });
}
