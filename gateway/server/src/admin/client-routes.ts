import { Refusal } from "@onecert/subgraph-kit";
import type { DepartmentStore, IdentityStore, Role } from "@onecert/access";
import { MAX_KEY_DAYS, MAX_RATE_LIMIT, ROLES } from "@onecert/access";
import { z } from "zod";
import { flag, integer, object, oneOf, text } from "./fields";
import { clientDetails, clientRecord, clientSummary, createdClient, issuedKey, keyRecord } from "./models";
import { route, type AdminRoute } from "./types";

const ADMIN: readonly Role[] = ["admin"];
const tag = "clients";

const newClient = object({
  name: text(64),
  role: oneOf(ROLES as [Role, ...Role[]]),
  department: text(64),
  safelist: flag(),
  rateLimitPerMinute: integer(1, MAX_RATE_LIMIT),
  keyExpiresInDays: integer(1, MAX_KEY_DAYS),
});

/**
 * The admin endpoints that manage clients and their API keys; all need the admin role. A new
 * client's department must be in `departments` (UNKNOWN_DEPARTMENT); default: not checked.
 */
export function clientRoutes(
  identity: IdentityStore,
  departments?: Pick<DepartmentStore, "require">,
): AdminRoute[] {
  return [
    route({
      method: "POST",
      pattern: "/clients",
      roles: ADMIN,
      tag,
      summary: "Create a client and its first API key (shown once)",
      schema: { body: newClient, response: createdClient },
      async handle({ body }) {
        await departments?.require(body.department);
        const created = await identity.createClient({
          ...body,
          rateLimitPerMinute: body.rateLimitPerMinute ?? null,
        });
        return { status: 201, body: created };
      },
    }),
    route({
      method: "GET",
      pattern: "/clients",
      roles: ADMIN,
      tag,
      summary: "List clients with their number of active keys",
      schema: { response: z.array(clientSummary) },
      async handle() {
        return { status: 200, body: await identity.listClients() };
      },
    }),
    route({
      method: "GET",
      pattern: "/clients/:id",
      roles: ADMIN,
      tag,
      summary: "A client with all its keys",
      schema: { response: clientDetails },
      async handle({ params }) {
        const client = await identity.getClient(params.id);
        if (!client) throw new Refusal("NOT_FOUND", `client ${params.id} not found`);
        return { status: 200, body: client };
      },
    }),
    route({
      method: "POST",
      pattern: "/clients/:id/revoke",
      roles: ADMIN,
      tag,
      summary: "Revoke a client and every key it still has",
      schema: { response: clientRecord },
      async handle({ params }) {
        return { status: 200, body: await identity.revokeClient(params.id) };
      },
    }),
    route({
      method: "POST",
      pattern: "/clients/:id/keys",
      roles: ADMIN,
      tag,
      summary: "Issue another API key for a client (shown once)",
      schema: { body: object({ expiresInDays: integer(1, MAX_KEY_DAYS) }), response: issuedKey },
      async handle({ params, body }) {
        return { status: 201, body: await identity.issueKey(params.id, body.expiresInDays) };
      },
    }),
    route({
      method: "POST",
      pattern: "/keys/:id/revoke",
      roles: ADMIN,
      tag,
      summary: "Revoke one API key",
      schema: { response: keyRecord },
      async handle({ params }) {
        return { status: 200, body: await identity.revokeKey(params.id) };
      },
    }),
  ];
}
