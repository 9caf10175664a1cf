import type { Role } from "../types";

/** A calling system as the identity store keeps it. */
export interface ClientRecord {
  id: string;
  name: string;
  role: Role;
  department: string;
  safelist: boolean;
  rateLimitPerMinute: number | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A client in a listing, with how many unexpired, unrevoked keys it holds. */
export interface ClientSummary extends ClientRecord {
  activeKeys: number;
}

/** An API key's metadata; the secret and its hash never leave the store. */
export interface KeyRecord {
  id: string;
  clientId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface ClientDetails extends ClientRecord {
  keys: KeyRecord[];
}

export interface NewClient {
  name: string;
  role: Role;
  department: string;
  /** Only registered operations may run for it. Default false. */
  safelist?: boolean;
  /** Requests per minute; default null (the gateway default). */
  rateLimitPerMinute?: number | null;
  /** Lifetime of the first key. Default 365, at most 3650. */
  keyExpiresInDays?: number;
}

/** A freshly issued key: `apiKey` is shown once and cannot be recovered later. */
export interface IssuedKey {
  apiKey: string;
  keyId: string;
  expiresAt: Date;
}
