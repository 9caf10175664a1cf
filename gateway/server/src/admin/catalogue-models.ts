import { z } from "zod";

// The live catalogue's answers, as a client receives them (dates as ISO strings).

const at = z.iso.datetime({ offset: true });
const kind = z.enum(["matter", "certificate"]);

export const catalogueVersion = z
  .object({
    kind,
    code: z.string(),
    version: z.number().int(),
    department: z.string(),
    source: z.string().meta({ description: "The YAML text, exactly as proposed" }),
    status: z.enum(["proposed", "approved", "rejected", "published"]),
    proposedBy: z.string(),
    proposedAt: at,
    reason: z.string(),
    reviewedBy: z.string().nullable(),
    reviewedAt: at.nullable(),
    reviewReason: z.string().nullable(),
    live: z.boolean().meta({ description: "Whether this is the version the live catalogue serves" }),
  })
  .meta({ id: "CatalogueVersion" });

export const catalogueRelease = z
  .object({
    id: z.number().int(),
    kind,
    code: z.string(),
    version: z.number().int(),
    action: z.enum(["seed", "publish", "rollback", "import"]),
    actor: z.string(),
    reason: z.string(),
    at,
  })
  .meta({ id: "CatalogueRelease" });

export const catalogueHistory = z
  .object({ versions: z.array(catalogueVersion), releases: z.array(catalogueRelease) })
  .meta({ id: "CatalogueHistory" });

export const catalogueCheck = z
  .object({
    ok: z.boolean(),
    kind,
    code: z.string(),
    department: z.string(),
    problems: z.array(z.string()).meta({ description: "`entry:line:col: reason`, or `entry: reason`" }),
  })
  .meta({ id: "CatalogueCheck" });

export const liveCatalogue = z
  .object({
    generation: z.number().int().meta({ description: "The latest release; it changes with every publish" }),
    served: z.number().int().meta({ description: "The generation this replica serves now" }),
    entries: z.array(
      z.object({
        kind,
        code: z.string(),
        version: z.number().int(),
        department: z.string(),
        source: z.string(),
      }),
    ),
  })
  .meta({ id: "LiveCatalogue" });
