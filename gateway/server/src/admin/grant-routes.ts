import { Refusal } from "@onecert/subgraph-kit";
import { GRANT_STATUSES, MAX_REASON } from "@onecert/access";
import type { GrantStatus, Role, GrantStore } from "@onecert/access";
import { z } from "zod";
import { flag, isoDate, object, oneOf, optionalText, query, text, textList } from "./fields";
import { grantRecord } from "./models";
import { route, type AdminRoute } from "./types";

const ADMIN: readonly Role[] = ["admin"];
const tag = "grants";

function decision(grants: GrantStore, action: "approve" | "reject" | "revoke"): AdminRoute {
  return route({
    method: "POST",
    pattern: `/grants/:id/${action}`,
    roles: ADMIN,
    tag,
    summary: `${action[0].toUpperCase()}${action.slice(1)} a grant, with an optional note`,
    schema: { body: object({ note: optionalText(2000) }), response: grantRecord },
    async handle({ params, body, client }) {
      return { status: 200, body: await grants[action](params.id, client.id, body.note) };
    },
  });
}

const grantRequest = object({
  clientId: text(64),
  fields: textList(),
  matters: textList(),
  clearValues: flag(),
  validFrom: isoDate(false).optional(),
  validUntil: isoDate(true),
  reason: text(MAX_REASON),
});

/**
 * The admin endpoints of grants. A department client may request grants for clients of its own
 * department and read those grants; deciding is for admins, listing for admins and auditors.
 */
export function grantRoutes(grants: GrantStore): AdminRoute[] {
  return [
    route({
      method: "POST",
      pattern: "/grants",
      roles: ["admin", "department"],
      tag,
      summary: "Request a grant (a department: for its own clients)",
      schema: { body: grantRequest, response: grantRecord },
      async handle({ body, client }) {
        const grant = await grants.request({
          ...body,
          clearValues: body.clearValues ?? false,
          requestedBy: client.id,
          requesterDepartment: client.role === "admin" ? undefined : client.department,
        });
        return { status: 201, body: grant };
      },
    }),
    route({
      method: "GET",
      pattern: "/grants",
      roles: ["admin", "auditor"],
      tag,
      summary: "List grants, newest first (at most 1000)",
      schema: {
        query: query({
          status: oneOf(GRANT_STATUSES as [GrantStatus, ...GrantStatus[]]).optional(),
          clientId: optionalText(64),
        }),
        response: z.array(grantRecord),
      },
      async handle({ query: filter }) {
        return { status: 200, body: await grants.list(filter) };
      },
    }),
    route({
      method: "GET",
      pattern: "/grants/:id",
      roles: ["admin", "auditor", "department"],
      tag,
      summary: "One grant (a department: only its own)",
      schema: { response: grantRecord },
      async handle({ params, client }) {
        const grant = await grants.get(params.id);
        // Another department's grant is reported as missing rather than forbidden: ids don't leak.
        if (!grant || (client.role === "department" && grant.clientDepartment !== client.department)) {
          throw new Refusal("NOT_FOUND", `grant ${params.id} not found`);
        }
        return { status: 200, body: grant };
      },
    }),
    decision(grants, "approve"),
    decision(grants, "reject"),
    decision(grants, "revoke"),
  ];
}
