import { z } from "zod";

// The department registry's answers as a client receives them (see models.ts).

const at = z.string().meta({ format: "date-time" });

const actor = z.object({
  id: z.string(),
  name: z.string(),
  department: z.string().nullable(),
  role: z.string().nullable(),
});

const member = z.object({
  name: z.string(),
  department: z.string(),
  url: z.string(),
  contact: z.string().nullable(),
  updateCycle: z.string().nullable(),
  sdlId: z.number().int().optional(),
  sdlVersion: z.number().int(),
});

const fieldChange = z.object({ field: z.string(), kind: z.string(), description: z.string() });

const breakingField = z.object({
  field: z.string(),
  changes: z.array(fieldChange),
  clients: z.array(
    z.object({ clientId: z.string(), name: z.string().nullable(), requests: z.number(), lastUsed: at }),
  ),
});

export const versionSummary = z
  .object({
    version: z.number().int(),
    action: z.enum(["bootstrap", "sync", "register", "update", "remove", "rollback"]),
    subgraph: z.string().nullable(),
    actor,
    at,
    reason: z.string().nullable(),
    override: z.boolean(),
    breaking: z.array(breakingField),
    rollbackOf: z.number().int().nullable(),
    members: z.array(member),
  })
  .meta({ id: "SupergraphVersion" });

export const versionRecord = versionSummary.extend({ supergraphSdl: z.string(), apiSdl: z.string() });

export const checkReport = z
  .object({
    baseVersion: z.number().int(),
    ok: z.boolean(),
    composes: z.boolean(),
    compositionErrors: z.array(z.string()),
    ownershipConflicts: z.array(z.string()),
    matterConflicts: z.array(z.string()),
    catalogueConflicts: z.array(z.string()),
    changes: z.array(fieldChange),
    breaking: z.array(breakingField),
    usageWindowDays: z.number().int(),
  })
  .meta({ id: "CheckReport" });

export const publishResult = z
  .object({ published: z.boolean(), version: versionSummary, report: checkReport.nullable() })
  .meta({ id: "PublishResult" });

const health = z.object({
  name: z.string(),
  url: z.string(),
  status: z.enum(["up", "down"]),
  latencyMs: z.number(),
  error: z.string().optional(),
  checkedAt: at,
  lastError: z.string().nullable(),
  lastErrorAt: at.nullable(),
});

export const subgraphView = member
  .omit({ sdlId: true })
  .extend({
    status: z.enum(["active", "removed"]),
    health: health.nullable(),
    registeredUrl: z.string().optional(),
  })
  .meta({ id: "Subgraph" });

export const subgraphDetails = subgraphView.extend({
  sdl: z.string(),
  sdlVersions: z.array(
    z.object({
      id: z.number().int(),
      subgraph: z.string(),
      version: z.number().int(),
      hash: z.string(),
      createdAt: at,
      createdBy: z.string(),
    }),
  ),
  history: z.array(versionSummary),
});
