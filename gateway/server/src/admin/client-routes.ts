import { Refusal } from "@onecert/subgraph-kit";
import type { IdentityStore, Role } from "@onecert/access";
import { MAX_KEY_DAYS, MAX_RATE_LIMIT } from "@onecert/access";
import { booleanField, integerField, objectBody, stringField } from "./body";
import { type AdminRoute } from "./types";

const ADMIN: readonly Role[] = ["admin"];

/** The admin endpoints that manage clients and their API keys; all need the admin role. */
export function clientRoutes(identity: IdentityStore): AdminRoute[] {
  return [
    {
      method: "POST",
      pattern: "/clients",
      roles: ADMIN,
      async handle({ body }) {
        const input = objectBody(body, [
          "name",
          "role",
          "department",
          "safelist",
          "rateLimitPerMinute",
          "keyExpiresInDays",
        ]);
        const created = await identity.createClient({
          name: stringField(input, "name", 64, true),
          role: stringField(input, "role", 32, true) as Role,
          department: stringField(input, "department", 64, true),
          safelist: booleanField(input, "safelist"),
          rateLimitPerMinute: integerField(input, "rateLimitPerMinute", 1, MAX_RATE_LIMIT) ?? null,
          keyExpiresInDays: integerField(input, "keyExpiresInDays", 1, MAX_KEY_DAYS),
        });
        return { status: 201, body: created };
      },
    },
    {
      method: "GET",
      pattern: "/clients",
      roles: ADMIN,
      async handle() {
        return { status: 200, body: await identity.listClients() };
      },
    },
    {
      method: "GET",
      pattern: "/clients/:id",
      roles: ADMIN,
      async handle({ params }) {
        const client = await identity.getClient(params.id);
        if (!client) throw new Refusal("NOT_FOUND", `client ${params.id} not found`);
        return { status: 200, body: client };
      },
    },
    {
      method: "POST",
      pattern: "/clients/:id/revoke",
      roles: ADMIN,
      async handle({ params, body }) {
        objectBody(body, []);
        return { status: 200, body: await identity.revokeClient(params.id) };
      },
    },
    {
      method: "POST",
      pattern: "/clients/:id/keys",
      roles: ADMIN,
      async handle({ params, body }) {
        const input = objectBody(body, ["expiresInDays"]);
        const days = integerField(input, "expiresInDays", 1, MAX_KEY_DAYS);
        return { status: 201, body: await identity.issueKey(params.id, days) };
      },
    },
    {
      method: "POST",
      pattern: "/keys/:id/revoke",
      roles: ADMIN,
      async handle({ params, body }) {
        objectBody(body, []);
        return { status: 200, body: await identity.revokeKey(params.id) };
      },
    },
  ];
}
