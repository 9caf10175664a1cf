import type { IdentityStore, Role } from "@onecert/access";
import type { Registry, UsageRecorder } from "@onecert/schema-registry";
import { Refusal } from "@onecert/subgraph-kit";
import { isObjectType, isInterfaceType, buildASTSchema, parse } from "graphql";
import { z } from "zod";
import { isoDate, query } from "./fields";
import { route, type AdminRoute } from "./types";

const READ: readonly Role[] = ["admin", "department", "auditor"];
const DAY_MS = 86_400_000;

const usageAnswer = z
  .object({
    subgraph: z.string(),
    from: z.string(),
    to: z.string(),
    usage: z.array(
      z.object({
        day: z.string().meta({ description: "YYYY-MM-DD (UTC)" }),
        field: z.string(),
        clientId: z.string(),
        clientName: z.string().nullable(),
        requests: z.number().int(),
      }),
    ),
  })
  .meta({ id: "FieldUsage" });

/** The `Type.field` coordinates a subgraph's SDL defines (what its usage is counted under). */
export function fieldsOf(sdl: string): string[] {
  const schema = buildASTSchema(parse(sdl), { assumeValid: true, assumeValidSDL: true });
  const fields: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("_") || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const name of Object.keys(type.getFields()))
      if (!name.startsWith("_")) fields.push(`${type.name}.${name}`);
  }
  return fields.sort();
}

/**
 * GET /admin/subgraphs/:name/usage: requests per day and client of each field the subgraph
 * serves, what a department watches before it changes one. A department reads its own.
 */
export function usageRoutes(registry: Registry, usage: UsageRecorder, identity: IdentityStore): AdminRoute[] {
  return [
    route({
      method: "GET",
      pattern: "/subgraphs/:name/usage",
      roles: READ,
      tag: "registry",
      summary: "Requests per day and client of each of a subgraph's fields (default the last 30 days)",
      schema: {
        query: query({ from: isoDate(false).optional(), to: isoDate(true).optional() }),
        response: usageAnswer,
      },
      async handle({ params, query: given, client }) {
        const details = await registry.views.get(params.name);
        if (client.role === "department" && details.department !== client.department)
          throw new Refusal("FORBIDDEN", `subgraph ${params.name} is ${details.department}'s`);
        const to = given.to ?? new Date();
        const from = given.from ?? new Date(to.getTime() - 30 * DAY_MS);
        if (from > to) throw new Refusal("BAD_REQUEST", "from must be before to");
        const rows = await usage.daily(fieldsOf(details.sdl), from, to);
        const names = new Map<string, string | null>();
        for (const { clientId } of rows)
          if (!names.has(clientId))
            names.set(clientId, (await identity.cachedClient(clientId))?.name ?? null);
        return {
          status: 200,
          body: {
            subgraph: params.name,
            from: from.toISOString(),
            to: to.toISOString(),
            usage: rows.map((row) => ({ ...row, clientName: names.get(row.clientId) ?? null })),
          },
        };
      },
    }),
  ];
}
