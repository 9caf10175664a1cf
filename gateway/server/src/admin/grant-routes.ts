import { Refusal } from "@onecert/subgraph-kit";
import { GRANT_STATUSES, MAX_REASON } from "@onecert/access";
import type { GrantStatus, Role, GrantStore } from "@onecert/access";
import { booleanField, dateField, objectBody, stringField, stringListField } from "./body";
import { type AdminRequest, type AdminRoute } from "./types";

const ADMIN: readonly Role[] = ["admin"];

function decision(grants: GrantStore, action: "approve" | "reject" | "revoke"): AdminRoute {
  return {
    method: "POST",
    pattern: `/grants/:id/${action}`,
    roles: ADMIN,
    async handle({ params, body, client }: AdminRequest) {
      const note = stringField(objectBody(body, ["note"]), "note", 2000);
      return { status: 200, body: await grants[action](params.id, client.id, note) };
    },
  };
}

/**
 * The admin endpoints of grants. A department client may request grants for clients of its own
 * department and read those grants; deciding is for admins, listing for admins and auditors.
 */
export function grantRoutes(grants: GrantStore): AdminRoute[] {
  return [
    {
      method: "POST",
      pattern: "/grants",
      roles: ["admin", "department"],
      async handle({ body, client }) {
        const input = objectBody(body, [
          "clientId",
          "fields",
          "matters",
          "clearValues",
          "validFrom",
          "validUntil",
          "reason",
        ]);
        const grant = await grants.request({
          clientId: stringField(input, "clientId", 64, true),
          fields: stringListField(input, "fields"),
          matters: stringListField(input, "matters"),
          clearValues: booleanField(input, "clearValues") ?? false,
          validFrom: dateField(input, "validFrom", false, false),
          validUntil: dateField(input, "validUntil", true, true) as Date,
          reason: stringField(input, "reason", MAX_REASON, true),
          requestedBy: client.id,
          requesterDepartment: client.role === "admin" ? undefined : client.department,
        });
        return { status: 201, body: grant };
      },
    },
    {
      method: "GET",
      pattern: "/grants",
      roles: ["admin", "auditor"],
      async handle({ query }) {
        const status = query.get("status") || undefined;
        if (status !== undefined && !(GRANT_STATUSES as readonly string[]).includes(status)) {
          throw new Refusal("BAD_REQUEST", `status must be one of ${GRANT_STATUSES.join(", ")}`);
        }
        const clientId = query.get("clientId") || undefined;
        return {
          status: 200,
          body: await grants.list({ clientId, status: status as GrantStatus | undefined }),
        };
      },
    },
    {
      method: "GET",
      pattern: "/grants/:id",
      roles: ["admin", "auditor", "department"],
      async handle({ params, client }) {
        const grant = await grants.get(params.id);
        // Another department's grant is reported as missing rather than forbidden: ids don't leak.
        if (!grant || (client.role === "department" && grant.clientDepartment !== client.department)) {
          throw new Refusal("NOT_FOUND", `grant ${params.id} not found`);
        }
        return { status: 200, body: grant };
      },
    },
    decision(grants, "approve"),
    decision(grants, "reject"),
    decision(grants, "revoke"),
  ];
}
