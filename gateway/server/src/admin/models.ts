import { GRANT_STATUSES, ROLES, type GrantStatus, type Role } from "@onecert/access";
import { z } from "zod";

// What the admin API answers, as a client receives it (dates as ISO strings). The edge checks
// answers against these in tests; the OpenAPI document at /admin/openapi.json shows them.

const at = z.iso.datetime({ offset: true });
const role = z.enum(ROLES as [Role, ...Role[]]);

export const clientRecord = z
  .object({
    id: z.string(),
    name: z.string(),
    role,
    department: z.string(),
    safelist: z.boolean(),
    rateLimitPerMinute: z.number().int().nullable(),
    createdAt: at,
    revokedAt: at.nullable(),
  })
  .meta({ id: "Client" });

export const keyRecord = z
  .object({
    id: z.string(),
    clientId: z.string(),
    createdAt: at,
    expiresAt: at,
    revokedAt: at.nullable(),
    lastUsedAt: at.nullable(),
  })
  .meta({ id: "ApiKey", description: "An API key's metadata; the secret never leaves the store" });

export const issuedKey = z
  .object({
    apiKey: z.string().meta({ description: "Shown once; cannot be recovered later" }),
    keyId: z.string(),
    expiresAt: at,
  })
  .meta({ id: "IssuedKey" });

export const clientSummary = clientRecord.extend({ activeKeys: z.number().int() });
export const clientDetails = clientRecord.extend({ keys: z.array(keyRecord) });
export const createdClient = issuedKey.extend({ client: clientRecord });

export const grantRecord = z
  .object({
    id: z.string(),
    clientId: z.string(),
    clientName: z.string(),
    clientDepartment: z.string(),
    fields: z.array(z.string()),
    matters: z.array(z.string()),
    clearValues: z.boolean(),
    validFrom: at,
    validUntil: at,
    status: z.enum(GRANT_STATUSES as [GrantStatus, ...GrantStatus[]]),
    reason: z.string(),
    requestedBy: z.string(),
    requestedAt: at,
    decidedBy: z.string().nullable(),
    decidedAt: at.nullable(),
    decisionNote: z.string().nullable(),
  })
  .meta({ id: "Grant" });

export const persistedOperation = z
  .object({
    hash: z.string().meta({ description: "SHA-256 hex of the exact query text" }),
    name: z.string(),
    query: z.string(),
    clientId: z.string().nullable(),
    registeredBy: z.string(),
    registeredAt: at,
  })
  .meta({ id: "Operation" });

export const proofKey = z
  .object({
    kid: z.string(),
    createdAt: at,
    retiredAt: at.nullable(),
    signedUntil: at.nullable(),
    status: z.enum(["active", "retired, published", "retired"]),
  })
  .meta({ id: "ProofKey" });

export const departmentRecord = z
  .object({
    code: z.string().meta({ description: "Stable identifier clients, subgraphs and matters name" }),
    nameZh: z.string(),
    nameEn: z.string(),
    creditCode: z
      .string()
      .nullable()
      .meta({ description: "Unified social credit code; null for a department seeded at start" }),
    contact: z.string().nullable(),
    createdAt: at,
    createdBy: z.string().meta({ description: 'The adding client\'s id, or "system" when seeded' }),
  })
  .meta({ id: "Department" });
