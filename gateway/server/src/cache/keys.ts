import { createHash } from "node:crypto";

/**
 * Logical cache keys: `<kind>:<label>:...`. The kind says what the entry holds (e entity, f
 * root-field fetch, r response, q persisted query), the label is what the counters count it
 * under (the entity type). Backends put their prefix (and generation) in front.
 */
export type EntryKind = "e" | "f" | "r" | "q";

/** A short, collision-resistant digest (SHA-256, 128 bits, base64url). */
export function digest(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}

/** JSON with object keys sorted at every level, so equal values give equal keys. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
}

/** The label a logical key is counted under: its second segment. */
export function labelOf(key: string): string {
  const start = key.indexOf(":") + 1;
  const end = key.indexOf(":", start);
  return end < 0 ? key.slice(start) : key.slice(start, end);
}

/** What decides one cached entity: where it came from, which entity, which fields, for whom. */
export interface EntityKeyParts {
  subgraph: string;
  type: string;
  /** Digest of the entity's normalized selection and the variables it uses. */
  selection: string;
  /** The representation the gateway sent, as canonical JSON. */
  representation: string;
  /** The caller's client id when the selection holds PRIVATE data; null when shared. */
  scope: string | null;
  /** Digest of the headers sent with the fetch, besides the request id. */
  variant: string;
}

/** e:<type>:<subgraph>:<digest>. */
export function entityKey(parts: EntityKeyParts): string {
  const rest = digest(`${parts.selection}|${parts.variant}|${parts.scope ?? ""}|${parts.representation}`);
  return `e:${parts.type}:${parts.subgraph}:${rest}`;
}

/** What decides one cached root-field fetch (e.g. `person(idNumber: $id) {...}`). */
export interface FetchKeyParts {
  subgraph: string;
  /** The entity type of the first root field, for the counters. */
  label: string;
  selection: string;
  /** The fetch's variables as canonical JSON. */
  variables: string;
  scope: string | null;
  variant: string;
}

/** f:<label>:<subgraph>:<digest>. */
export function fetchKey(parts: FetchKeyParts): string {
  const rest = digest(`${parts.selection}|${parts.variant}|${parts.scope ?? ""}|${parts.variables}`);
  return `f:${parts.label}:${parts.subgraph}:${rest}`;
}

/** Everything that decides what one caller may see of one operation (see plugins/cache). */
export interface ResponseKeyParts {
  /** Digest of the supergraph: new hints or share rules start a new key space. */
  schema: string;
  clientId: string;
  role: string;
  department: string;
  matter: string;
  /** grantsFingerprint() of the client's active grants for the matter. */
  grants: string;
  /** maskingFingerprint() of the masking rules. */
  masking: string;
  queryHash: string;
  operationName: string | null;
  variables: Record<string, unknown>;
}

/** r:response:<digest of every part>. */
export function responseKey(parts: ResponseKeyParts): string {
  return `r:response:${digest(canonicalJson(parts))}`;
}

/** q:apq:<hash> for Apollo's persisted-query cache keys. */
export const apqKey = (key: string): string => `q:apq:${key}`;

/** The tag of one entity: "Person:110105194912310021", as invalidation events name it. */
export const entityTag = (type: string, key: string): string => `${type}:${key}`;

/** The tag of entries holding data of `type` whose key they do not carry (dropped by any change of the type). */
export const unkeyedTag = (type: string): string => `${type}:?`;

/** The tag every entry holding data of `type` carries (dropped when an admin invalidates the type). */
export const typeTag = (type: string): string => `${type}:*`;

/** A grant as far as its fingerprint goes. */
export interface GrantLike {
  id: string;
  matters: readonly string[];
  validFrom: Date;
  validUntil: Date;
}

/** Which of the client's active grants serve `matter`: their ids and validity, order-independent. */
export function grantsFingerprint(grants: readonly GrantLike[], matter: string): string {
  const serving = grants
    .filter((grant) => grant.matters.includes(matter))
    .map((grant) => `${grant.id}@${grant.validFrom.getTime()}-${grant.validUntil.getTime()}`)
    .sort();
  return digest(serving.join(","));
}

/** The masking rules in force; a change of patterns starts a new key space. */
export const maskingFingerprint = (rules: unknown): string => digest(canonicalJson(rules));
